import { useCallback, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { useTicker } from '@/features/markets/api/get-ticker';
import { parseInterval } from '@/features/markets/api/intervals';
import { useLiveCandles } from '@/features/markets/api/use-live-candles';
import { CandleChart } from '@/features/markets/components/candle-chart';
import type { Overlay } from '@/features/markets/components/candle-chart-option';
import { IndicatorMenu } from '@/features/markets/components/indicator-menu';
import { IndicatorFetchers } from '@/features/markets/components/indicator-overlays';
import { IntervalSwitcher } from '@/features/markets/components/interval-switcher';
import { RecentTrades } from '@/features/markets/components/recent-trades';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal, formatPercent, signClass } from '@/shared/format/decimal';

/** The indicator endpoint's bar window is capped like klines; overlays cover the newest bars. */
const MAX_INDICATOR_BARS = 1000;

export function ChartRoute() {
  const { exchange = 'sim', symbol = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const interval = parseInterval(searchParams.get('interval'));
  const [selectedIndicators, setSelectedIndicators] = useState<string[]>([]);
  const [overlayById, setOverlayById] = useState<Record<string, Overlay | null>>({});
  const [indicatorError, setIndicatorError] = useState<unknown>(null);
  const [jumpToLatest, setJumpToLatest] = useState(0);

  const live = useLiveCandles({ exchange, symbol, interval });
  const ticker = useTicker().data?.find((row) => row.exchange === exchange && row.symbol === symbol);

  const firstIndex = Math.max(0, live.candles.length - MAX_INDICATOR_BARS);
  const range = useMemo(
    () => ({
      exchange,
      symbol,
      interval,
      start: live.candles[firstIndex]?.openTime,
      limit: Math.min(live.candles.length, MAX_INDICATOR_BARS),
    }),
    // Refetch when the window's start or size changes, not on every live tick of the last bar.
    [exchange, symbol, interval, live.candles[firstIndex]?.openTime, live.candles.length],
  );

  const onIndicatorData = useCallback((id: string, overlay: Overlay | null, error: unknown) => {
    setOverlayById((current) => (current[id] === overlay ? current : { ...current, [id]: overlay }));
    setIndicatorError(error ?? null);
  }, []);

  const overlays = useMemo(
    () => selectedIndicators.map((id) => overlayById[id]).filter((o): o is Overlay => Boolean(o)),
    [selectedIndicators, overlayById],
  );

  function toggleIndicator(id: string) {
    setSelectedIndicators((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]));
  }

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-baseline gap-3">
          <Link to="/markets" className="text-sm text-muted">← Markets</Link>
          <h2 className="text-xl font-semibold">{symbol}</h2>
          <span className="text-xs text-muted">{exchange}</span>
          {ticker && (
            <>
              <span className="font-mono">{formatDecimal(ticker.last_price)}</span>
              <span className={`font-mono text-sm ${signClass(ticker.price_change_percent)}`}>
                {formatPercent(ticker.price_change_percent)}
              </span>
            </>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <IntervalSwitcher value={interval} onChange={(next) => setSearchParams({ interval: next })} />
          <IndicatorMenu selected={selectedIndicators} onToggle={toggleIndicator} />
        </div>
      </div>

      <IndicatorFetchers selected={selectedIndicators} range={range} onData={onIndicatorData} />
      <ErrorMessage error={live.error} title="Klines" />
      <ErrorMessage error={indicatorError} title="Indicator" />

      <div className="grid grid-cols-1 gap-3 xl:grid-cols-[1fr_260px]">
      <div className="card min-w-0 p-2">
        {live.isPending && <Loading label="Loading candles…" />}
        {!live.isPending && !live.error && live.candles.length === 0 && (
          <EmptyState>No candles yet for {symbol} at {interval}. Live bars will appear as trades arrive.</EmptyState>
        )}
        <CandleChart candles={live.candles} overlays={overlays} interval={interval} onReachStart={() => void live.loadOlder()}
          jumpToLatest={jumpToLatest} />
        <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-muted" data-testid="chart-status">
          <span><span data-testid="bar-count">{live.candles.length}</span> bars</span>
          {/* Dragging back to the first bar loads more; the button is the keyboard path to the same. */}
          <button type="button" className="btn py-0 text-xs" disabled={live.loadingOlder || live.reachedStart || live.candles.length === 0}
            onClick={() => void live.loadOlder()}>
            {live.loadingOlder ? 'Loading older history…' : live.reachedStart ? 'Start of history' : 'Load older history'}
          </button>
          <button type="button" className="btn py-0 text-xs" onClick={() => setJumpToLatest((n) => n + 1)}>Go to latest</button>
          <span>live updates: <span data-testid="live-updates">{live.liveUpdates}</span></span>
        </p>
      </div>
      <RecentTrades exchange={exchange} symbol={symbol} />
      </div>
    </section>
  );
}

export default ChartRoute;
