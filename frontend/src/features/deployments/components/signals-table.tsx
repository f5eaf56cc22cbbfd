import type { Signal } from '@/features/deployments/api/types';
import { formatTime } from '@/features/deployments/components/format';
import { EmptyState } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The deployment's decisions, newest first, with the order each placed. */
export function SignalsTable({ signals, interval }: { signals: Signal[]; interval: string }) {
  if (signals.length === 0) {
    return (
      <EmptyState>
        No signals yet. A signal appears when the strategy changes its target at the close of a {interval} bar (after its warm-up);
        it shows up here live.
      </EmptyState>
    );
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Signals">
        <thead>
          <tr><th>Bar</th><th>Reason</th><th className="!text-right">Exposure</th><th className="!text-right">Target</th><th className="!text-right">Price</th><th className="!text-right">Qty</th><th>Order</th></tr>
        </thead>
        <tbody>
          {signals.map((s) => (
            <tr key={`${s.bar_open_ms}-${s.reason}`}>
              <td className="whitespace-nowrap text-xs">{formatTime(s.bar_open_ms)}</td>
              <td>{s.reason}</td>
              <td className="text-right font-mono">{pct(s.exposure)}</td>
              <td className="text-right font-mono">{pct(s.target)}</td>
              <td className="text-right font-mono">{formatDecimal(s.price, 2)}</td>
              <td className={`text-right font-mono ${Number(s.qty) > 0 ? 'text-up' : Number(s.qty) < 0 ? 'text-down' : ''}`}>{formatDecimal(s.qty)}</td>
              <td className="text-xs">
                {s.orders.length === 0 ? <span className="text-muted">none</span> : s.orders.map((o) => (
                  <div key={o.id}>
                    {o.side} {formatDecimal(o.qty)} · {o.status}
                    {o.reject_reason && <span className="text-down"> ({o.reject_reason})</span>}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
