import { useCancelOrder } from '@/features/paper/api/cancel-order';
import { ORDERS_PAGE, useOrders } from '@/features/paper/api/get-orders';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';
import { formatDecimal, formatTime } from '@/shared/format/decimal';

/** Resting orders (new, partially filled), paged like the history: accounts have no cap on them by default. */
export function OpenOrdersTable({ accountId }: { accountId: number }) {
  const pages = useKeysetPages<string>();
  const orders = useOrders(accountId, { status: 'open', before: pages.before });
  const cancel = useCancelOrder(accountId);
  const rows = orders.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (orders.isPending) return <Loading />;
  if (orders.error) return <ErrorMessage error={orders.error} />;
  if (rows.length === 0 && pages.page === 1) return <EmptyState>No open orders. Limit and stop orders rest here until they fill.</EmptyState>;
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto">
        <ErrorMessage error={cancel.error} title="Cancel failed" />
        <table className="table-basic w-full text-sm" aria-label="Open orders">
          <thead>
            <tr><th>Time</th><th>Symbol</th><th>Side</th><th>Type</th><th className="text-right">Qty</th><th className="text-right">Filled</th><th className="text-right">Price</th><th className="text-right">Stop</th><th>Status</th><th /></tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id}>
                <td className="text-xs text-muted">{formatTime(o.created_ms)}</td>
                <td>{o.symbol}</td>
                <td className={o.side === 'buy' ? 'text-up' : 'text-down'}>{o.side}</td>
                <td>{o.type} · {o.tif}{o.reduce_only ? ' · RO' : ''}</td>
                <td className="text-right font-mono">{formatDecimal(o.qty)}</td>
                <td className="text-right font-mono">{formatDecimal(o.filled_qty)}</td>
                <td className="text-right font-mono">{formatDecimal(o.price)}</td>
                <td className="text-right font-mono">{formatDecimal(o.stop_price)}</td>
                <td>{o.status}</td>
                <td>
                  <button type="button" className="btn text-xs" disabled={cancel.isPending && cancel.variables === o.id}
                    onClick={() => cancel.mutate(o.id)} aria-label={`Cancel order ${o.id}`}>
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <EmptyState>No older open orders.</EmptyState>}
      </div>
      <Pager page={pages.page} hasOlder={rows.length >= ORDERS_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Open order pages" />
    </div>
  );
}
