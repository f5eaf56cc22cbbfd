import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useDeleteDeployment } from '@/features/deployments/api/delete-deployment';
import { useDeployAccounts } from '@/features/deployments/api/get-accounts';
import { useDeployment } from '@/features/deployments/api/get-deployment';
import { usePerformance } from '@/features/deployments/api/get-performance';
import { useSignals } from '@/features/deployments/api/get-signals';
import type { Deployment } from '@/features/deployments/api/types';
import { useLiveDeployments } from '@/features/deployments/api/use-live-deployments';
import { EditDeploymentForm } from '@/features/deployments/components/edit-deployment-form';
import { formatPnl, formatTime, netPnl, pnlClass, strategyLabel } from '@/features/deployments/components/format';
import { SignalsTable } from '@/features/deployments/components/signals-table';
import { SIZING_MODES } from '@/features/deployments/components/sizing';
import { DeploymentErrorPanel, DeploymentStatusBadge, StatusControls } from '@/features/deployments/components/status';
import { TradesTable } from '@/features/deployments/components/trades-table';
import { EquityDrawdownChart } from '@/shared/charts/equity-drawdown-chart';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { formatDecimal } from '@/shared/format/decimal';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'off' : `${+(x * 100).toFixed(4)} %`);

function Summary({ d }: { d: Deployment }) {
  const pnl = netPnl(d);
  const accounts = useDeployAccounts();
  const accountName = accounts.data?.find((a) => a.id === d.account)?.name;
  const sizing = SIZING_MODES.find((m) => m.mode === d.sizing);
  const rows: [string, React.ReactNode][] = [
    ['Market', `${d.symbol} (${d.exchange}) · ${d.interval}`],
    ['Account', <Link key="a" to={`/paper/${d.account}`}>{accountName ?? `paper account #${d.account}`}</Link>],
    ['Sizing', `${sizing?.label ?? d.sizing}${Object.keys(d.sizing_params).length ? ` (${Object.entries(d.sizing_params).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`],
    ['Stops', `stop-loss ${pct(d.stop_loss)} · take-profit ${pct(d.take_profit)} · max drawdown ${pct(d.max_drawdown)}`],
    ['Position', `${formatDecimal(d.position_qty)}${d.entry_price ? ` @ ${formatDecimal(d.entry_price, 2)}` : ''} · target ${d.target_exposure === null || d.target_exposure === undefined ? '—' : `${(d.target_exposure * 100).toFixed(1)}%`}`],
    ['P&L', <span key="p" className={`font-mono ${pnlClass(pnl)}`}>{formatPnl(pnl)} <span className="text-xs text-muted">(realized {formatDecimal(d.realized_pnl, 2)} − fees {formatDecimal(d.fees, 4)} + open {formatDecimal(d.unrealized_pnl, 2)})</span></span>],
    ['Last bar', formatTime(d.last_bar_ms)],
    ['Started', d.started_at ? new Date(d.started_at).toLocaleString() : 'never'],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd className="m-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Members({ d }: { d: Deployment }) {
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {d.members.map((m, i) => (
        <li key={i}>
          <strong>{m.name}</strong> {m.version}
          {m.kind === 'listing' && <span className="ml-1 rounded border border-border px-1 text-xs text-muted">marketplace</span>}
          {d.members.length > 1 && <span className="text-muted"> · weight {m.weight}</span>}
          <span className="ml-2 font-mono text-xs text-muted">
            {Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(' ')}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function DeploymentDetailRoute() {
  const { deploymentId } = useParams();
  const id = Number(deploymentId);
  const navigate = useNavigate();
  const deployment = useDeployment(id);
  const live = deployment.data?.status === 'running';
  const signals = useSignals(id);
  const performance = usePerformance(id, live);
  const remove = useDeleteDeployment();
  const [lastEvent, setLastEvent] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  useLiveDeployments(id, () => setLastEvent(Date.now()));

  if (!Number.isInteger(id)) return <EmptyState>No such deployment. <Link to="/deployments">Back to the list</Link>.</EmptyState>;
  if (deployment.isPending) return <Loading label="Loading deployment…" />;
  if (deployment.error) return (
    <section className="flex flex-col gap-3">
      <p className="text-sm"><Link to="/deployments">← Deployments</Link></p>
      <ErrorMessage error={deployment.error} />
    </section>
  );
  const d = deployment.data;

  return (
    <section className="flex flex-col gap-3">
      <p className="text-sm"><Link to="/deployments">← Deployments</Link></p>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{d.name}</h2>
          <span aria-label="Status"><DeploymentStatusBadge deployment={d} /></span>
        </div>
        <StatusControls deployment={d} />
      </div>
      {d.error && <DeploymentErrorPanel error={d.error} />}
      {d.status === 'stopped' && !d.error && (
        <p className="text-sm text-muted">
          Stopped: it makes no new decisions{Number(d.position_qty) !== 0 ? ' and the runner is closing its position' : ''}. Start it again, or delete it.
        </p>
      )}

      <div className="grid grid-cols-1 gap-3 lg:grid-cols-[2fr_3fr]">
        <div className="card flex flex-col gap-3">
          <div className="flex items-center justify-between gap-2">
            <h3 className="font-semibold">Strategy</h3>
            {!editing && <button type="button" className="btn text-xs" onClick={() => setEditing(true)}>Edit name, sizing, stops</button>}
          </div>
          <p className="text-xs text-muted">{strategyLabel(d.members)}</p>
          <Members d={d} />
          {editing ? <EditDeploymentForm deployment={d} onDone={() => setEditing(false)} /> : <Summary d={d} />}
        </div>
        <div className="card flex flex-col gap-2" aria-labelledby="dep-perf">
          <h3 id="dep-perf" className="font-semibold">Performance</h3>
          {performance.isPending && <Loading label="Loading performance…" />}
          <ErrorMessage error={performance.error} />
          {performance.data && (
            <>
              <p className="text-xs text-muted">
                Equity of paper account #{d.account} since the deployment was created · max drawdown{' '}
                {(performance.data.max_drawdown * 100).toFixed(2)}%
              </p>
              {performance.data.equity.length > 1 ? (
                <EquityDrawdownChart equity={performance.data.equity} drawdown={performance.data.drawdown}
                  label="Equity and drawdown chart" testId="deployment-performance-chart" />
              ) : (
                <EmptyState>No equity samples yet: the account's equity is sampled once a minute, so the chart appears within two minutes of the start.</EmptyState>
              )}
            </>
          )}
        </div>
      </div>

      <div className="card flex flex-col gap-2" aria-labelledby="dep-signals">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="dep-signals" className="font-semibold">Signals</h3>
          <span className="text-xs text-muted" aria-live="polite">
            {live ? 'live' : 'not running'}{lastEvent ? ` · last update ${new Date(lastEvent).toLocaleTimeString()}` : ''}
          </span>
        </div>
        {signals.isPending && <Loading label="Loading signals…" />}
        <ErrorMessage error={signals.error} />
        {signals.data && <SignalsTable signals={signals.data} interval={d.interval} />}
      </div>

      <div className="card flex flex-col gap-2" aria-labelledby="dep-fills">
        <h3 id="dep-fills" className="font-semibold">Fills</h3>
        {performance.data && <TradesTable trades={performance.data.trades} />}
      </div>

      {d.status === 'stopped' && (
        <div className="flex flex-col gap-1">
          <div>
            <button type="button" className="btn text-down" disabled={remove.isPending}
              onClick={() => remove.mutate(d.id, { onSuccess: () => navigate('/deployments') })}>
              {remove.isPending ? 'Deleting…' : 'Delete deployment'}
            </button>
          </div>
          <ErrorMessage error={remove.error} />
        </div>
      )}
    </section>
  );
}

export default DeploymentDetailRoute;
