import { Link } from 'react-router';

import type { Backtest } from '@/features/backtests/api/get-backtests';
import { EmptyState } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

export function StatusBadge({ backtest }: { backtest: Pick<Backtest, 'status' | 'progress'> }) {
  const color = backtest.status === 'succeeded' ? 'text-up' : backtest.status === 'failed' ? 'text-down' : 'text-accent';
  const running = backtest.status === 'running' ? ` ${Math.round(backtest.progress * 100)}%` : '';
  return <span className={color}>{backtest.status}{running}</span>;
}

export function BacktestsTable({
  backtests,
  selected = [],
  onToggle,
}: {
  backtests: Backtest[];
  selected?: number[];
  onToggle?: (id: number) => void;
}) {
  if (backtests.length === 0) return <EmptyState>No backtests yet. Pick a strategy and a range above to run one.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Backtests">
        <thead>
          <tr>{onToggle && <th><span className="sr-only">Compare</span></th>}<th>#</th><th>Strategy</th><th>Market</th><th>Interval</th><th>Range</th><th className="text-right">Final equity</th><th>Status</th></tr>
        </thead>
        <tbody>
          {backtests.map((b) => (
            <tr key={b.id}>
              {onToggle && (
                <td>
                  <input type="checkbox" aria-label={`Compare backtest ${b.id}`} checked={selected.includes(b.id)}
                    disabled={b.status !== 'succeeded' || (selected.length >= 2 && !selected.includes(b.id))}
                    onChange={() => onToggle(b.id)} />
                </td>
              )}
              <td><Link to={`/backtests/${b.id}`}>{b.id}</Link></td>
              <td><Link to={`/backtests/${b.id}`}>{b.strategy}</Link></td>
              <td>{b.symbol} <span className="text-muted">{b.exchange}</span></td>
              <td>{b.interval}</td>
              <td className="text-xs">{new Date(b.start).toISOString().slice(0, 10)} → {new Date(b.end).toISOString().slice(0, 10)}</td>
              <td className="text-right font-mono">{b.final_equity ? formatDecimal(b.final_equity, 2) : '—'}</td>
              <td><StatusBadge backtest={b} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
