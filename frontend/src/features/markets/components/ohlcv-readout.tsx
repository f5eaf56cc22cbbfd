import type { Candle } from '@/features/markets/api/candles';
import { formatDecimal } from '@/shared/format/decimal';

/** The crosshair's OHLCV (or the latest bar when the pointer is off the chart). */
export function OhlcvReadout({ candle, hovering }: { candle: Candle | undefined; hovering: boolean }) {
  if (!candle) return <div className="h-6" />;
  const direction = candle.close >= candle.open ? 'text-up' : 'text-down';
  const fields: [string, number][] = [
    ['O', candle.open],
    ['H', candle.high],
    ['L', candle.low],
    ['C', candle.close],
    ['V', candle.volume],
  ];
  return (
    <div className="flex flex-wrap gap-3 font-mono text-xs" data-testid="ohlcv" aria-live="off">
      <span className="text-muted">{new Date(candle.openTime).toISOString().replace('T', ' ').slice(0, 19)}</span>
      {fields.map(([label, value]) => (
        <span key={label}>
          <span className="text-muted">{label}</span>{' '}
          <span className={direction} data-testid={label === 'C' && !hovering ? 'last-close' : undefined}>
            {formatDecimal(value)}
          </span>
        </span>
      ))}
    </div>
  );
}
