import { usePositions } from '@/features/paper/api/get-positions';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal, signClass } from '@/shared/format/decimal';

export function PositionsTable({ accountId }: { accountId: number }) {
  const positions = usePositions(accountId);
  if (positions.isPending) return <Loading />;
  if (positions.error) return <ErrorMessage error={positions.error} />;
  const open = positions.data.filter((p) => Number(p.qty) !== 0);
  if (open.length === 0) return <EmptyState>No open positions.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Positions">
        <thead>
          <tr><th>Symbol</th><th className="text-right">Qty</th><th className="text-right">Avg entry</th><th className="text-right">Mark</th><th className="text-right">Unrealized P&amp;L</th><th className="text-right">Realized P&amp;L</th><th className="text-right">Fees</th></tr>
        </thead>
        <tbody>
          {open.map((p) => (
            <tr key={p.symbol}>
              <td>{p.symbol}</td>
              <td className={`text-right font-mono ${signClass(p.qty)}`}>{formatDecimal(p.qty)}</td>
              <td className="text-right font-mono">{formatDecimal(p.avg_entry)}</td>
              <td className="text-right font-mono">{formatDecimal(p.mark)}</td>
              <td className={`text-right font-mono ${signClass(p.unrealized_pnl)}`} data-testid="unrealized-pnl">{formatDecimal(p.unrealized_pnl, 2)}</td>
              <td className={`text-right font-mono ${signClass(p.realized_pnl)}`}>{formatDecimal(p.realized_pnl, 2)}</td>
              <td className="text-right font-mono">{formatDecimal(p.fees, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
