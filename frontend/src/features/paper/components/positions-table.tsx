import { useMemo } from 'react';

import { usePositions } from '@/features/paper/api/get-positions';
import { type LiveMark, useLiveMarks } from '@/features/paper/api/use-live-marks';
import { unrealizedPnl } from '@/features/paper/components/exact-decimal';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal, signClass } from '@/shared/format/decimal';

type Marked = { mark: string | null | undefined; unrealized: string | null | undefined; live: boolean };

/**
 * The newer of the REST mark (the engine's last applied trade, as of the last refetch) and the
 * live ticker price; unrealized P&L = qty x (mark - avg entry), in exact decimal arithmetic.
 */
export function markPosition(
  position: { qty: string; avg_entry?: string | null; mark?: string | null; unrealized_pnl?: string | null },
  live: LiveMark | undefined,
  fetchedAt: number,
): Marked {
  if (live && live.at >= fetchedAt) {
    return { mark: live.price, unrealized: unrealizedPnl(position.qty, position.avg_entry, live.price), live: true };
  }
  const computed = unrealizedPnl(position.qty, position.avg_entry, position.mark);
  return { mark: position.mark, unrealized: computed ?? position.unrealized_pnl, live: false };
}

export function PositionsTable({ accountId, exchange }: { accountId: number; exchange?: string }) {
  const positions = usePositions(accountId);
  const open = useMemo(() => (positions.data ?? []).filter((p) => Number(p.qty) !== 0), [positions.data]);
  const symbols = useMemo(() => open.map((p) => p.symbol), [open]);
  const marks = useLiveMarks(exchange, symbols);

  if (positions.isPending) return <Loading />;
  if (positions.error) return <ErrorMessage error={positions.error} />;
  if (open.length === 0) return <EmptyState>No open positions.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Positions">
        <thead>
          <tr><th>Symbol</th><th className="text-right">Qty</th><th className="text-right">Avg entry</th><th className="text-right">Mark</th><th className="text-right">Unrealized P&amp;L</th><th className="text-right">Realized P&amp;L</th><th className="text-right">Fees</th></tr>
        </thead>
        <tbody>
          {open.map((p) => {
            const { mark, unrealized, live } = markPosition(p, marks.get(p.symbol), positions.dataUpdatedAt);
            return (
              <tr key={p.symbol}>
                <td>{p.symbol}</td>
                <td className={`text-right font-mono ${signClass(p.qty)}`}>{formatDecimal(p.qty)}</td>
                <td className="text-right font-mono">{formatDecimal(p.avg_entry)}</td>
                <td className="text-right font-mono" data-testid="mark"
                  title={live ? 'Live: last trade price from the ticker stream' : 'As of the last refresh'}>
                  {formatDecimal(mark)}
                </td>
                <td className={`text-right font-mono ${signClass(unrealized)}`} data-testid="unrealized-pnl">{formatDecimal(unrealized, 2)}</td>
                <td className={`text-right font-mono ${signClass(p.realized_pnl)}`}>{formatDecimal(p.realized_pnl, 2)}</td>
                <td className="text-right font-mono">{formatDecimal(p.fees, 4)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
