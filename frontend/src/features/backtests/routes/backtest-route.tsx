import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { useBacktest } from '@/features/backtests/api/get-backtest';
import { useBacktestProgress } from '@/features/backtests/api/use-backtest-progress';
import { StatusBadge } from '@/features/backtests/components/backtests-table';
import { MetricsTable } from '@/features/backtests/components/metrics-table';
import { type MonteCarlo, MonteCarloSection } from '@/features/backtests/components/monte-carlo';
import { type BacktestTrade, TradesTable } from '@/features/backtests/components/trades-table';
import { EquityDrawdownChart } from '@/shared/charts/equity-drawdown-chart';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

type Point = [number, number];

export function BacktestRoute() {
  const id = Number(useParams().backtestId);
  const backtest = useBacktest(id);
  const [tradesPage, setTradesPage] = useState(0);
  useBacktestProgress();

  if (backtest.isPending) return <Loading />;
  if (backtest.error) return <ErrorMessage error={backtest.error} />;
  const b = backtest.data;
  const finished = b.status === 'succeeded' || b.status === 'failed';

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link to="/backtests" className="text-sm text-muted">← Backtests</Link>
        <h2 className="text-xl font-semibold">Backtest #{b.id}: {b.strategy}</h2>
        <span className="text-sm text-muted">{b.symbol} · {b.interval} · {JSON.stringify(b.params)}</span>
        <StatusBadge backtest={b} />
        <Link to={`/backtests/compare?a=${b.id}`} className="text-sm">Compare with…</Link>
      </div>
      {!finished && (
        <div className="card" role="progressbar" aria-valuenow={Math.round(b.progress * 100)} aria-valuemin={0} aria-valuemax={100}>
          <p className="mb-2 text-sm">{b.status === 'queued' ? 'Waiting for a worker…' : 'Running…'}</p>
          <div className="h-2 w-full rounded bg-border">
            <div className="h-2 rounded bg-accent" style={{ width: `${Math.round(b.progress * 100)}%` }} />
          </div>
        </div>
      )}
      {b.status === 'failed' && (
        <div role="alert" className="card text-down">{b.error ? Object.values(b.error).join(' ') : 'The backtest failed.'}</div>
      )}
      {b.status === 'succeeded' && (
        <>
          <div className="card"><MetricsTable metrics={(b.metrics ?? {}) as Record<string, unknown>} /></div>
          <div className="card"><EquityDrawdownChart equity={(b.equity_curve ?? []) as Point[]} drawdown={(b.drawdown_curve ?? []) as Point[]}
            label="Equity and drawdown" testId="backtest-curves" /></div>
          <div className="card flex flex-col gap-2">
            <h3 className="font-semibold">Monte Carlo</h3>
            <MonteCarloSection monteCarlo={b.monte_carlo as MonteCarlo | null} cash={Number(b.cash)} />
          </div>
          <div className="card flex flex-col gap-2">
            <h3 className="font-semibold">Trades</h3>
            <TradesTable trades={(b.trades ?? []) as BacktestTrade[]} total={b.trades_total} truncated={b.trades_truncated}
              page={tradesPage} onPage={setTradesPage} />
          </div>
        </>
      )}
    </section>
  );
}

export default BacktestRoute;
