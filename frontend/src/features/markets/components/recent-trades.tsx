import { useRecentTrades } from '@/features/markets/api/use-recent-trades';
import { ErrorMessage } from '@/shared/components/error-message';
import { formatDecimal } from '@/shared/format/decimal';

export function RecentTrades({ exchange, symbol }: { exchange: string; symbol: string }) {
  const { trades, error } = useRecentTrades(exchange, symbol);
  return (
    <section className="card flex flex-col gap-1 p-2" aria-label="Recent trades">
      <h3 className="px-1 text-sm font-semibold">Recent trades</h3>
      <ErrorMessage error={error} />
      <table className="w-full font-mono text-xs">
        <thead className="text-muted">
          <tr><th className="text-left font-normal">Price</th><th className="text-right font-normal">Qty</th><th className="text-right font-normal">Time</th></tr>
        </thead>
        <tbody>
          {trades.map((t) => (
            <tr key={t.id}>
              <td className={t.side === 'buy' ? 'text-up' : 'text-down'}>{formatDecimal(t.price)}</td>
              <td className="text-right">{formatDecimal(t.qty)}</td>
              <td className="text-right text-muted">{new Date(t.time).toISOString().slice(11, 19)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
