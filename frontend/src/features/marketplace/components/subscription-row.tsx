import { useState } from 'react';
import { Link } from 'react-router';

import { useCancelSubscription } from '@/features/marketplace/api/cancel-subscription';
import { useListing } from '@/features/marketplace/api/get-listing';
import { isEntitled, type Subscription } from '@/features/marketplace/api/get-subscriptions';
import { useOpenBillingPortal } from '@/features/marketplace/api/open-billing-portal';
import { useUpdateSubscription } from '@/features/marketplace/api/update-subscription';
import { formatDate, formatPrice } from '@/features/marketplace/components/format';
import { deployHref } from '@/features/marketplace/components/subscribe-panel';
import { ErrorMessage } from '@/shared/components/error-message';

const STATUS_TONE: Record<string, string> = {
  active: 'text-up',
  past_due: 'text-down',
  lapsed: 'text-down',
  pending: 'text-muted',
  cancelled: 'text-muted',
};

/** Follow the latest version or pin a published one (the listing's versions load when this opens). */
function VersionPicker({ subscription, onDone }: { subscription: Subscription; onDone: () => void }) {
  const listing = useListing(subscription.listing);
  const update = useUpdateSubscription();
  const [choice, setChoice] = useState(subscription.follow_latest ? '' : (subscription.pinned_version ?? ''));
  const published = listing.data?.versions.filter((v) => v.status === 'published') ?? [];
  return (
    <form className="flex flex-wrap items-center gap-2" aria-label={`Version of ${subscription.listing_name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const body = choice ? { follow_latest: false, version: choice } : { follow_latest: true };
        update.mutate({ id: subscription.id, ...body }, { onSuccess: onDone });
      }}>
      <select className="input w-auto text-sm" aria-label="Version" value={choice} onChange={(e) => setChoice(e.target.value)}
        disabled={listing.isPending}>
        <option value="">Follow the latest</option>
        {published.map((v) => <option key={v.id} value={v.version}>Pin {v.version}</option>)}
      </select>
      <button type="submit" className="btn text-xs" disabled={update.isPending || listing.isPending}>Save</button>
      <button type="button" className="btn text-xs" onClick={onDone}>Close</button>
      <ErrorMessage error={update.error ?? listing.error} />
    </form>
  );
}

export function SubscriptionRow({ subscription: s }: { subscription: Subscription }) {
  const cancel = useCancelSubscription();
  const portal = useOpenBillingPortal();
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const entitled = isEntitled(s);
  const ended = s.status === 'cancelled' || s.status === 'lapsed';

  return (
    <tr>
      <td><Link to={`/marketplace/${s.listing}`}>{s.listing_name}</Link></td>
      <td className="whitespace-nowrap">{formatPrice(s.listing_price_cents, s.currency)}</td>
      <td className={STATUS_TONE[s.status ?? ''] ?? ''}>
        {s.status?.replace('_', ' ')}
        {s.status === 'past_due' && s.grace_until && <span className="block text-xs">usable until {formatDate(s.grace_until)}</span>}
      </td>
      <td>
        {picking ? (
          <VersionPicker subscription={s} onDone={() => setPicking(false)} />
        ) : (
          <span className="flex flex-wrap items-center gap-2">
            {s.follow_latest ? 'follows the latest' : `pinned to ${s.pinned_version}`}
            {!ended && <button type="button" className="btn text-xs" onClick={() => setPicking(true)}>Change</button>}
          </span>
        )}
      </td>
      <td className="whitespace-nowrap">{formatDate(s.created_at)}</td>
      <td>
        <div className="flex flex-wrap items-center justify-end gap-2">
          {entitled && <Link to={deployHref(s.listing)} className="btn text-xs">Deploy</Link>}
          {ended && <Link to={`/marketplace/${s.listing}`} className="btn text-xs">Subscribe again</Link>}
          {!ended && s.managed_by_stripe && (
            <button type="button" className="btn text-xs" disabled={portal.isPending} onClick={() => portal.mutate()}>
              Manage in billing portal
            </button>
          )}
          {!ended && !s.managed_by_stripe && !confirming && (
            <button type="button" className="btn text-xs text-down" onClick={() => setConfirming(true)}>Cancel</button>
          )}
          {confirming && (
            <span role="group" aria-label="Confirm cancellation" className="flex flex-wrap items-center gap-2 text-xs">
              <span>Cancel {s.listing_name}? Its running deployments pause.</span>
              <button type="button" className="btn text-xs text-down" disabled={cancel.isPending}
                onClick={() => cancel.mutate(s.id, { onSuccess: () => setConfirming(false) })}>
                Yes, cancel
              </button>
              <button type="button" className="btn text-xs" onClick={() => setConfirming(false)}>Keep</button>
            </span>
          )}
        </div>
        <ErrorMessage error={cancel.error ?? portal.error} />
      </td>
    </tr>
  );
}
