import { useState } from 'react';

import type { StatusAction } from '@/features/deployments/api/set-status';
import { useSetDeploymentStatus } from '@/features/deployments/api/set-status';
import type { Deployment, DeploymentError } from '@/features/deployments/api/types';
import { ErrorMessage } from '@/shared/components/error-message';

const COLORS: Record<string, string> = {
  running: 'text-up border-up',
  paused: 'text-accent border-accent',
  errored: 'text-down border-down',
  stopped: 'text-muted border-border',
};

/** Status as a pill, with the error code beside it when there is one (e.g. "errored · fuel_exhausted"). */
export function DeploymentStatusBadge({ deployment }: { deployment: Pick<Deployment, 'status' | 'error'> }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className={`rounded-full border px-2 text-xs font-semibold ${COLORS[deployment.status] ?? 'text-muted border-border'}`}
        data-status={deployment.status}>
        {deployment.status}
      </span>
      {deployment.error && <code className="text-xs text-down">{deployment.error.code}</code>}
    </span>
  );
}

/** What to do about a deployment's error code (the runner's sandbox codes and the marketplace's notices). */
export function errorAdvice(code: string): string {
  if (code === 'subscription_lapsed' || code === 'subscription_cancelled' || code === 'subscription_past_due' || code === 'subscription_required')
    return 'Renew the subscription on the marketplace, then press Start.';
  if (code === 'version_yanked') return 'The publisher withdrew this version. Create a new deployment with a current version.';
  if (code === 'fuel_exhausted' || code === 'deadline_exceeded' || code === 'memory_limit' || code === 'table_limit' || code === 'stack_overflow')
    return "The strategy went past its sandbox limits. Use smaller parameters (shorter lookbacks) or a higher tier, then press Start.";
  if (code === 'trap' || code === 'bad_output' || code === 'bad_pointer' || code === 'init_failed' || code === 'abi_mismatch')
    return "The strategy module failed. Check its parameters; if it keeps failing, the module needs a fix from its author.";
  if (code === 'module_missing' || code === 'unknown_module') return 'The strategy module is no longer available. Create a new deployment.';
  if (code === 'quota_exceeded') return 'Your plan allows fewer running deployments. Pause or stop another one, then press Start.';
  return 'Fix the cause, then press Start: starting again clears the error.';
}

/** The error a deployment stopped with: code, the runner's message, when, and what to do. */
export function DeploymentErrorPanel({ error }: { error: DeploymentError }) {
  return (
    <div role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-sm">
      <p className="text-down">
        <code className="mr-2 font-semibold">{error.code}</code>
        {error.message}
      </p>
      {error.at && <p className="text-xs text-muted">since {new Date(error.at).toLocaleString()}</p>}
      <p className="mt-1">{errorAdvice(error.code)}</p>
    </div>
  );
}

/** Start / Pause / Stop for one deployment; Stop asks first (the runner closes the position). */
export function StatusControls({ deployment, compact = false }: { deployment: Pick<Deployment, 'id' | 'name' | 'status'>; compact?: boolean }) {
  const mutation = useSetDeploymentStatus();
  const [confirmStop, setConfirmStop] = useState(false);
  const busy = mutation.isPending;
  const pending = mutation.isPending ? mutation.variables?.action : undefined;
  const run = (action: StatusAction) => mutation.mutate({ id: deployment.id, action }, { onSettled: () => setConfirmStop(false) });
  const size = compact ? 'text-xs' : '';
  const canStart = deployment.status !== 'running';
  const canPause = deployment.status === 'running';
  const canStop = deployment.status !== 'stopped';

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label={`Controls of ${deployment.name}`}>
        {canStart && (
          <button type="button" className={`btn ${size}`} disabled={busy} onClick={() => run('start')} aria-label={`Start ${deployment.name}`}>
            {pending === 'start' ? 'Starting…' : deployment.status === 'paused' ? 'Resume' : 'Start'}
          </button>
        )}
        {canPause && (
          <button type="button" className={`btn ${size}`} disabled={busy} onClick={() => run('pause')} aria-label={`Pause ${deployment.name}`}>
            {pending === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        )}
        {canStop && !confirmStop && (
          <button type="button" className={`btn ${size}`} disabled={busy} onClick={() => setConfirmStop(true)} aria-label={`Stop ${deployment.name}`}>
            Stop
          </button>
        )}
        {confirmStop && (
          <span className={`flex flex-wrap items-center gap-2 ${size}`} role="alertdialog" aria-label={`Stop ${deployment.name}?`}>
            <span>Stop and close its position?</span>
            <button type="button" className={`btn border-down text-down ${size}`} disabled={busy} onClick={() => run('stop')}>
              {pending === 'stop' ? 'Stopping…' : 'Confirm stop'}
            </button>
            <button type="button" className={`btn ${size}`} disabled={busy} onClick={() => setConfirmStop(false)}>Cancel</button>
          </span>
        )}
      </div>
      <ErrorMessage error={mutation.error} />
    </div>
  );
}
