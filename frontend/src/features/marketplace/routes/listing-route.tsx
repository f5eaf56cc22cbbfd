import { Link, useParams } from 'react-router';

import { useListing } from '@/features/marketplace/api/get-listing';
import { isEntitled, useSubscriptions } from '@/features/marketplace/api/get-subscriptions';
import { formatDate } from '@/features/marketplace/components/format';
import { RiskBadge } from '@/features/marketplace/components/listing-card';
import { ReviewsSection } from '@/features/marketplace/components/reviews-section';
import { SafeHtml } from '@/features/marketplace/components/safe-html';
import { SubscribePanel } from '@/features/marketplace/components/subscribe-panel';
import { TrackRecordPanel } from '@/features/marketplace/components/track-record';
import { VersionsTable } from '@/features/marketplace/components/versions-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

/** /marketplace/:slug: what the strategy does, its verified record, versions, reviews, and subscribing. */
export function ListingRoute() {
  const { slug = '' } = useParams();
  const listing = useListing(slug);
  const subscriptions = useSubscriptions();

  if (listing.isPending) return <Loading />;
  if (listing.error) {
    return (
      <section className="flex flex-col gap-3">
        <Link to="/marketplace" className="text-sm text-muted">← Marketplace</Link>
        <ErrorMessage error={listing.error} />
      </section>
    );
  }
  const l = listing.data;
  const subscription = subscriptions.data?.find((s) => s.listing === l.slug);

  return (
    <section className="flex flex-col gap-3">
      <Link to="/marketplace" className="text-sm text-muted">← Marketplace</Link>
      <div className="grid gap-3 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-3 lg:col-span-2">
          <header className="flex flex-col gap-1">
            <h2 className="text-xl font-semibold">{l.name}</h2>
            <p className="text-sm text-muted">
              by {l.publisher || 'unknown publisher'} · latest version {l.latest_version} · published {formatDate(l.published_at)}
              {' · '}{l.subscriber_count ?? 0} subscriber{l.subscriber_count === 1 ? '' : 's'}
            </p>
            <p>{l.summary}</p>
            <div className="flex flex-wrap items-center gap-1 text-xs">
              <span className="rounded bg-bg px-2">{l.category}</span>
              <RiskBadge level={l.risk_level} />
              {(l.tags ?? []).map((tag) => <span key={tag} className="rounded border border-border px-2 text-muted">#{tag}</span>)}
              {(l.markets ?? []).length > 0 && <span className="text-muted">· markets {(l.markets ?? []).join(', ')}</span>}
              {(l.intervals ?? []).length > 0 && <span className="text-muted">· intervals {(l.intervals ?? []).join(', ')}</span>}
            </div>
          </header>
          {l.description_html && (
            <section className="card" aria-label="Description">
              <SafeHtml html={l.description_html} className="[&>:first-child]:mt-0" />
            </section>
          )}
          <TrackRecordPanel record={l.track_record} />
          <VersionsTable versions={l.versions} latest={l.latest_version} />
          <ReviewsSection listing={l} canReview={subscription !== undefined && isEntitled(subscription)} />
        </div>
        <div className="order-first lg:sticky lg:top-3 lg:order-none lg:self-start">
          {subscriptions.isPending ? <Loading /> : <SubscribePanel listing={l} subscription={subscription} />}
          <ErrorMessage error={subscriptions.error} />
        </div>
      </div>
    </section>
  );
}

export default ListingRoute;
