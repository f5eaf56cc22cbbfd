import { Link } from 'react-router';

import type { Listing } from '@/features/marketplace/api/get-listings';
import { formatDrawdown, formatPrice, formatRatio, formatReturn, stars } from '@/features/marketplace/components/format';
import { signClass } from '@/shared/format/decimal';

export function RiskBadge({ level }: { level: string | undefined }) {
  const tone = level === 'high' ? 'text-down border-down' : level === 'low' ? 'text-up border-up' : 'text-muted border-border';
  return <span className={`rounded-full border px-2 text-xs ${tone}`}>{level ?? 'medium'} risk</span>;
}

export function PriceTag({ cents, currency }: { cents: number | undefined; currency: string }) {
  return (
    <span className={`whitespace-nowrap text-sm font-semibold ${cents ? '' : 'text-up'}`}>{formatPrice(cents, currency)}</span>
  );
}

/** One catalogue entry: what it is, who publishes it, its price and the platform backtest's key numbers. */
export function ListingCard({ listing }: { listing: Listing }) {
  return (
    <article className="card flex flex-col gap-2" aria-labelledby={`listing-${listing.slug}`}>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={`listing-${listing.slug}`} className="truncate font-semibold">
            <Link to={`/marketplace/${listing.slug}`}>{listing.name}</Link>
          </h3>
          <p className="text-xs text-muted">by {listing.publisher || 'unknown publisher'} · v{listing.latest_version}</p>
        </div>
        <PriceTag cents={listing.price_cents} currency={listing.currency} />
      </div>
      <p className="line-clamp-2 text-sm">{listing.summary}</p>
      <div className="flex flex-wrap items-center gap-1 text-xs">
        <span className="rounded bg-bg px-2">{listing.category}</span>
        <RiskBadge level={listing.risk_level} />
        {(listing.tags ?? []).slice(0, 4).map((tag) => (
          <span key={tag} className="rounded border border-border px-2 text-muted">#{tag}</span>
        ))}
      </div>
      <dl className="mt-auto grid grid-cols-3 gap-2 border-t border-border pt-2 text-xs" aria-label="Platform backtest">
        <div>
          <dt className="text-muted">Return</dt>
          <dd className={`font-mono ${signClass(listing.bt_return)}`}>{formatReturn(listing.bt_return)}</dd>
        </div>
        <div>
          <dt className="text-muted">Sharpe</dt>
          <dd className="font-mono">{formatRatio(listing.bt_sharpe)}</dd>
        </div>
        <div>
          <dt className="text-muted">Max DD</dt>
          <dd className="font-mono">{formatDrawdown(listing.bt_max_drawdown)}</dd>
        </div>
      </dl>
      <p className="text-xs text-muted">
        {listing.subscriber_count ?? 0} subscriber{listing.subscriber_count === 1 ? '' : 's'}
        {' · '}
        {listing.rating_count ? `${stars(listing.rating_avg ?? 0)} (${listing.rating_count})` : 'no reviews yet'}
      </p>
    </article>
  );
}
