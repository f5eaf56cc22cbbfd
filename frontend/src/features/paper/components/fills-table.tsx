import { FILLS_PAGE, useFills } from '@/features/paper/api/get-fills';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';
import { formatDecimal, formatTime, signClass } from '@/shared/format/decimal';

export function FillsTable({ accountId }: { accountId: number }) {
  const pages = useKeysetPages<string>();
  const fills = useFills(accountId, pages.before);
  const rows = fills.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (fills.isPending) return <Loading />;
  if (fills.error) return <ErrorMessage error={fills.error} />;
  if (rows.length === 0 && pages.page === 1) return <EmptyState>No fills yet. Place an order to trade.</EmptyState>;
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Fills">
          <thead>
            <tr><th>Time</th><th>Symbol</th><th>Side</th><th className="text-right">Price</th><th className="text-right">Qty</th><th className="text-right">Fee</th><th>Liquidity</th><th className="text-right">Realized P&amp;L</th></tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={f.id}>
                <td className="text-xs text-muted">{formatTime(f.ts_ms)}</td>
                <td>{f.symbol}</td>
                <td className={f.side === 'buy' ? 'text-up' : 'text-down'}>{f.side}</td>
                <td className="text-right font-mono">{formatDecimal(f.price)}</td>
                <td className="text-right font-mono">{formatDecimal(f.qty)}</td>
                <td className="text-right font-mono">{formatDecimal(f.fee)} {f.fee_currency}</td>
                <td>{f.liquidity}</td>
                <td className={`text-right font-mono ${signClass(f.realized_pnl)}`}>{formatDecimal(f.realized_pnl, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <EmptyState>No older fills.</EmptyState>}
      </div>
      <Pager page={pages.page} hasOlder={rows.length >= FILLS_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Fill pages" />
    </div>
  );
}
