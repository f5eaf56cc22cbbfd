import { Link } from 'react-router';

import type { Listing, MyListing } from '@/features/publisher/api/get-my-listings';
import { formatPrice } from '@/features/publisher/components/listing-values';

function visibility(listing: Listing): string {
  if (listing.public) return 'Public';
  return listing.latest_version ? 'Unlisted' : 'Draft: no published version';
}

function revenue(listing: MyListing): string {
  if (listing.revenue.length === 0) return '—';
  return listing.revenue
    .map((r) => (r.publisher_cents / 100).toLocaleString('en-US', { style: 'currency', currency: r.currency.toUpperCase() }))
    .join(' + ');
}

export function ListingsTable({ listings }: { listings: MyListing[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="My listings">
        <thead>
          <tr>
            <th>Listing</th>
            <th>Status</th>
            <th className="hidden sm:table-cell">Latest version</th>
            <th className="!text-right">Subscribers</th>
            <th className="!text-right">Price</th>
            <th className="!text-right">Your revenue</th>
          </tr>
        </thead>
        <tbody>
          {listings.map((l) => (
            <tr key={l.id}>
              <td>
                <Link to={`/publisher/listings/${l.id}`}>{l.name}</Link>
                <div className="font-mono text-xs text-muted">{l.slug}</div>
              </td>
              <td className={l.public ? 'text-up' : 'text-muted'}>{visibility(l)}</td>
              <td className="hidden font-mono sm:table-cell">{l.latest_version ?? '—'}</td>
              <td className="text-right font-mono">{l.subscriber_count ?? 0}</td>
              <td className="whitespace-nowrap text-right">{formatPrice(l.price_cents)}</td>
              <td className="whitespace-nowrap text-right font-mono" title="Paid invoices, after the platform fee">{revenue(l)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
