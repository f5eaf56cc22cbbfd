import { ORDERS_PAGE, useOrders } from '@/features/paper/api/get-orders';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';
import { formatDecimal, formatTime } from '@/shared/format/decimal';

/** Every order of the account, newest first, with its outcome (a rejection shows its reason). */
export function OrderHistoryTable({ accountId }: { accountId: number }) {
  const pages = useKeysetPages<string>();
  const orders = useOrders(accountId, { before: pages.before });
  const rows = orders.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (orders.isPending) return <Loading />;
  if (orders.error) return <ErrorMessage error={orders.error} />;
  if (rows.length === 0 && pages.page === 1) return <EmptyState>No orders yet.</EmptyState>;
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Order history">
          <thead>
            <tr><th>Time</th><th>Order</th><th>Symbol</th><th>Side</th><th>Type</th><th className="text-right">Qty</th><th className="text-right">Filled</th><th className="text-right">Avg price</th><th className="text-right">Fees</th><th>Status</th></tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id}>
                <td className="text-xs text-muted">{formatTime(o.created_ms)}</td>
                <td className="font-mono text-xs text-muted">{o.id}</td>
                <td>{o.symbol}</td>
                <td className={o.side === 'buy' ? 'text-up' : 'text-down'}>{o.side}</td>
                <td>{o.type} · {o.tif}{o.reduce_only ? ' · RO' : ''}</td>
                <td className="text-right font-mono">{formatDecimal(o.qty)}</td>
                <td className="text-right font-mono">{formatDecimal(o.filled_qty)}</td>
                <td className="text-right font-mono">{formatDecimal(o.avg_price)}</td>
                <td className="text-right font-mono">{formatDecimal(o.fees, 4)}</td>
                <td className={o.status === 'rejected' ? 'text-down' : undefined}>
                  {o.status}{o.reject_reason ? ` (${o.reject_reason})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <EmptyState>No older orders.</EmptyState>}
      </div>
      <Pager page={pages.page} hasOlder={rows.length >= ORDERS_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Order pages" />
    </div>
  );
}
