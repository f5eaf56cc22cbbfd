import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';

import { useBillingEnabled } from '@/features/marketplace/api/get-billing';
import type { ListingDetail } from '@/features/marketplace/api/get-listing';
import { isEntitled, type Subscription } from '@/features/marketplace/api/get-subscriptions';
import { useSubscribe } from '@/features/marketplace/api/subscribe';
import { Field } from '@/features/marketplace/components/field';
import { formatPrice } from '@/features/marketplace/components/format';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

export function deployHref(slug: string): string {
  return `/deployments/new?listing=${encodeURIComponent(slug)}`;
}

/**
 * Price and the way in: free listings subscribe at once; paid ones go to Stripe Checkout when billing
 * is on, and say plainly that they cannot be bought when it is off. Subscribed: the link to deploy.
 */
export function SubscribePanel({ listing, subscription }: { listing: ListingDetail; subscription: Subscription | undefined }) {
  const free = !listing.price_cents;
  // Only a paid listing's way in depends on billing (a request less on the tier's budget otherwise).
  const billing = useBillingEnabled({ enabled: !free });
  const subscribe = useSubscribe();
  const [version, setVersion] = useState('');
  const price = formatPrice(listing.price_cents, listing.currency);
  const published = listing.versions.filter((v) => v.status === 'published');

  let body: ReactNode;
  if (subscription && isEntitled(subscription)) {
    body = (
      <>
        <p role="status" className="text-sm">
          {subscribe.isSuccess ? 'Subscribed. ' : ''}Your subscription is <strong>{subscription.status}</strong>
          {subscription.follow_latest ? ', following the latest version.' : `, pinned to ${subscription.pinned_version}.`}
        </p>
        <Link to={deployHref(listing.slug)} className="btn-primary text-center">Deploy it</Link>
        <Link to="/marketplace/subscriptions" className="text-sm">Manage my subscriptions</Link>
      </>
    );
  } else if (!free && billing.isPending) {
    body = <Loading />;
  } else if (!free && billing.data === false) {
    body = (
      <div role="note" aria-label="Billing disabled" className="rounded border border-dashed border-border p-3 text-sm">
        <p className="font-semibold">Billing is disabled on this installation</p>
        <p className="text-muted">
          Paid listings cannot be bought here, so there is no checkout. Staff can grant this listing to your
          organisation in the admin console.
        </p>
      </div>
    );
  } else {
    const pending = subscription?.status === 'pending';
    body = (
      <form
        className="flex flex-col gap-2"
        aria-label="Subscribe"
        onSubmit={(e) => {
          e.preventDefault();
          subscribe.mutate(version ? { listing: listing.slug, follow_latest: false, version } : { listing: listing.slug, follow_latest: true });
        }}
      >
        {published.length > 1 && (
          <Field label="Version">
            <select className="input text-sm" value={version} onChange={(e) => setVersion(e.target.value)}>
              <option value="">Latest (follow new releases)</option>
              {published.map((v) => <option key={v.id} value={v.version}>Pin {v.version}</option>)}
            </select>
          </Field>
        )}
        {subscription && !isEntitled(subscription) && !pending && (
          <p className="text-xs text-muted">Your earlier subscription is {subscription.status}.</p>
        )}
        <button type="submit" className="btn-primary" disabled={subscribe.isPending}>
          {subscribe.isPending
            ? 'Subscribing…'
            : free
              ? 'Subscribe for free'
              : pending
                ? 'Continue to checkout'
                : `Subscribe · ${price}`}
        </button>
        {!free && <p className="text-xs text-muted">You pay on Stripe&apos;s checkout page, then come back here.</p>}
      </form>
    );
  }

  return (
    <aside className="card flex flex-col gap-3" aria-label="Subscription">
      <p className={`text-2xl font-semibold ${free ? 'text-up' : ''}`}>{price}</p>
      {body}
      <ErrorMessage error={subscribe.error ?? billing.error} />
    </aside>
  );
}
