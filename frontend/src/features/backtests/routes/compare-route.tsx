import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';

import { type BacktestDetail, useBacktest } from '@/features/backtests/api/get-backtest';
import { useBacktests } from '@/features/backtests/api/get-backtests';
import { CompareChart, type CompareRun } from '@/features/backtests/components/compare-chart';
import { SHOWN, formatMetric } from '@/features/backtests/components/metrics-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

type Point = [number, number];

function describe(b: BacktestDetail) {
  return `#${b.id} ${b.strategy} · ${b.symbol} ${b.interval}`;
}

/** b − a for numbers; percentages stay in percentage points. */
export function metricDifference(key: string, a: unknown, b: unknown): string {
  if (typeof a !== 'number' || typeof b !== 'number') return '';
  const diff = b - a;
  const text = formatMetric(key, diff);
  return diff > 0 ? `+${text}` : text;
}

function Picker({ current, other, onPick }: { current: number; other: number | null; onPick: (id: number) => void }) {
  const recent = useBacktests(undefined);
  const choices = (recent.data ?? []).filter((b) => b.status === 'succeeded' && b.id !== current);
  return (
    <label className="flex items-center gap-2 text-sm">
      Compare #{current} with
      <select className="input" aria-label="Second backtest" value={other ?? ''} onChange={(e) => onPick(Number(e.target.value))}>
        <option value="" disabled>pick a finished backtest</option>
        {choices.map((b) => <option key={b.id} value={b.id}>#{b.id} {b.strategy} {b.symbol} {b.interval}</option>)}
      </select>
    </label>
  );
}

export function CompareRoute() {
  const [search, setSearch] = useSearchParams();
  const a = Number(search.get('a')) || null;
  const b = Number(search.get('b')) || null;
  const first = useBacktest(a ?? 0, { enabled: a !== null });
  const second = useBacktest(b ?? 0, { enabled: b !== null });
  const runs = useMemo<CompareRun[]>(
    () =>
      [first.data, second.data]
        .filter((x): x is BacktestDetail => Boolean(x))
        .map((x) => ({ label: `#${x.id} ${x.strategy}`, equity: (x.equity_curve ?? []) as Point[], drawdown: (x.drawdown_curve ?? []) as Point[] })),
    [first.data, second.data],
  );

  if (!a) return <EmptyState>Pick two finished backtests in the <Link to="/backtests">history</Link> to compare them.</EmptyState>;
  const pick = (id: number) => setSearch({ a: String(a), b: String(id) });

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link to="/backtests" className="text-sm text-muted">← Backtests</Link>
        <h2 className="text-xl font-semibold">Compare backtests</h2>
        <Picker current={a} other={b} onPick={pick} />
      </div>
      <ErrorMessage error={first.error} />
      <ErrorMessage error={second.error} />
      {(first.isPending || (b !== null && second.isPending)) && <Loading />}
      {first.data && second.data && (
        <>
          {[first.data, second.data].some((x) => x.status !== 'succeeded') && (
            <p role="alert" className="text-down">Both backtests must have finished successfully to compare their results.</p>
          )}
          <div className="card overflow-x-auto">
            <table className="table-basic w-full text-sm" aria-label="Metrics compared">
              <thead>
                <tr><th>Metric</th><th className="text-right">{describe(first.data)}</th><th className="text-right">{describe(second.data)}</th><th className="text-right">Difference</th></tr>
              </thead>
              <tbody>
                <tr><td>Parameters</td><td className="text-right font-mono text-xs">{JSON.stringify(first.data.params)}</td><td className="text-right font-mono text-xs">{JSON.stringify(second.data.params)}</td><td /></tr>
                {SHOWN.map(([key, label]) => {
                  const ma = (first.data.metrics as Record<string, unknown> | null)?.[key];
                  const mb = (second.data.metrics as Record<string, unknown> | null)?.[key];
                  if (ma === undefined && mb === undefined) return null;
                  return (
                    <tr key={key}>
                      <td>{label}</td>
                      <td className="text-right font-mono">{formatMetric(key, ma)}</td>
                      <td className="text-right font-mono">{formatMetric(key, mb)}</td>
                      <td className="text-right font-mono">{metricDifference(key, ma, mb)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="card"><CompareChart runs={runs} /></div>
        </>
      )}
    </section>
  );
}

export default CompareRoute;
