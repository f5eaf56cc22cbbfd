import { Link } from 'react-router';

import { useSubscriptions } from '@/features/marketplace/api/get-subscriptions';
import { SubscriptionRow } from '@/features/marketplace/components/subscription-row';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

/** /marketplace/subscriptions: the tenant's subscriptions, their version policy, deploy and cancel. */
export function SubscriptionsRoute() {
  const subscriptions = useSubscriptions();
  const rows = subscriptions.data ?? [];

  return (
    <section className="flex flex-col gap-3">
      <Link to="/marketplace" className="text-sm text-muted">← Marketplace</Link>
      <h2 className="text-xl font-semibold">My subscriptions</h2>
      {subscriptions.isPending && <Loading />}
      <ErrorMessage error={subscriptions.error} />
      {subscriptions.data && rows.length === 0 && (
        <EmptyState>
          No subscriptions yet. <Link to="/marketplace">Browse the marketplace</Link> to find a strategy.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="card overflow-x-auto p-0">
          <table className="table-basic w-full text-sm" aria-label="Subscriptions">
            <thead>
              <tr><th>Listing</th><th>Price</th><th>Status</th><th>Version</th><th>Since</th><th className="!text-right">Actions</th></tr>
            </thead>
            <tbody>
              {rows.map((s) => <SubscriptionRow key={s.id} subscription={s} />)}
            </tbody>
          </table>
        </div>
      )}
      <p className="text-xs text-muted">
        Cancelling pauses the deployments that run the listing. A version change applies to new deployments and
        starts; running ones keep their version until the next release (when following the latest) or a redeploy.
      </p>
    </section>
  );
}

export default SubscriptionsRoute;
