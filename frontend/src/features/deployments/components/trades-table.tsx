import type { Performance } from '@/features/deployments/api/get-performance';
import { formatTime } from '@/features/deployments/components/format';
import { EmptyState } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

/** The fills of the orders this deployment placed, newest first. */
export function TradesTable({ trades }: { trades: Performance['trades'] }) {
  if (trades.length === 0) return <EmptyState>No fills yet: the deployment has not traded. Its orders' fills appear here.</EmptyState>;
  return (
    <div className="relative overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Deployment fills">
        <thead>
          <tr><th>Time</th><th>Side</th><th className="!text-right">Price</th><th className="!text-right">Qty</th><th className="!text-right">Fee</th><th className="!text-right">Realized P&amp;L</th></tr>
        </thead>
        <tbody>
          {[...trades].reverse().map((t) => (
            <tr key={t.id}>
              <td className="whitespace-nowrap text-xs">{formatTime(t.ts_ms)}</td>
              <td className={t.side === 'buy' ? 'text-up' : 'text-down'}>{t.side}</td>
              <td className="text-right font-mono">{formatDecimal(t.price, 2)}</td>
              <td className="text-right font-mono">{formatDecimal(t.qty)}</td>
              <td className="text-right font-mono">{formatDecimal(t.fee, 4)}</td>
              <td className="text-right font-mono">{formatDecimal(t.realized_pnl, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
