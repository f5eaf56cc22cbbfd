import { useBilling } from '@/features/settings/api/get-billing';
import { roleAllows, useActiveMembership } from '@/features/settings/api/get-session';
import { formatTime } from '@/features/settings/components/format';
import { PlanActions } from '@/features/settings/components/plan-actions';
import { UsageMeters } from '@/features/settings/components/usage-meters';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

export function PlanRoute() {
  const { role, pending } = useActiveMembership();
  const billing = useBilling();

  if (billing.isPending || pending) return <Loading label="Loading your plan…" />;
  if (billing.error) return <ErrorMessage error={billing.error} />;
  const plan = billing.data;
  return (
    <div className="flex flex-col gap-3">
      <div className="card flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="font-semibold">Plan</h3>
          <button type="button" className="btn text-xs" onClick={() => void billing.refetch()} disabled={billing.isFetching}>
            {billing.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Current plan">
          <dt className="text-muted">Tier</dt>
          <dd className="font-semibold">{plan.tier_name ?? plan.tier ?? 'none'}</dd>
          {plan.plan_status && (<><dt className="text-muted">Subscription</dt><dd>{plan.plan_status}</dd></>)}
          {plan.grace_until && (
            <><dt className="text-muted">Grace period until</dt><dd className="text-down">{formatTime(plan.grace_until)}</dd></>
          )}
          {plan.history_days !== null && (<><dt className="text-muted">Market history</dt><dd>{plan.history_days} days</dd></>)}
        </dl>
        <PlanActions billing={plan} canManage={roleAllows(role, 'admin')} />
      </div>
      <div className="card flex flex-col gap-3">
        <h3 className="font-semibold">Usage</h3>
        {plan.usage.length === 0
          ? <EmptyState>No tier limits apply to this tenant.</EmptyState>
          : <UsageMeters usage={plan.usage} />}
      </div>
    </div>
  );
}
