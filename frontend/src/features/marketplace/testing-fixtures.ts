import type { ListingDetail } from '@/features/marketplace/api/get-listing';
import type { Listing } from '@/features/marketplace/api/get-listings';
import type { Subscription } from '@/features/marketplace/api/get-subscriptions';

export const freeListing: Listing = {
  id: 1,
  name: 'SMA Trend Follower',
  slug: 'qt-sma-trend',
  summary: 'Long while the fast SMA is above the slow one.',
  description_md: '## How it trades',
  description_html: '<h2>How it trades</h2>\n<p>Two <strong>moving averages</strong>.</p>',
  category: 'trend',
  tags: ['sma', 'reference'],
  markets: ['sim:BTC-USDT'],
  intervals: ['1m', '1h'],
  risk_level: 'medium',
  price_cents: 0,
  public: true,
  subscriber_count: 3,
  rating_count: 0,
  rating_avg: null,
  bt_return: -0.1977,
  bt_sharpe: 1.25,
  bt_max_drawdown: 0.2218,
  created_at: '2026-11-21T15:00:00Z',
  published_at: '2026-11-21T15:00:48Z',
  latest_version: '1.0.0',
  publisher: 'Quant-Trader',
  currency: 'usd',
};

export const paidListing: Listing = {
  ...freeListing,
  id: 2,
  name: 'MACD Signal',
  slug: 'qt-macd-signal',
  price_cents: 900,
  category: 'trend',
  tags: ['macd'],
};

const curve = [
  [1767225600000, 10000],
  [1767225660000, 10050],
  [1767225720000, 9980],
];

export function detailOf(listing: Listing, changes: Partial<ListingDetail> = {}): ListingDetail {
  return {
    ...listing,
    versions: [
      { id: 11, version: '1.0.1', changelog: 'Faster.', manifest: {}, status: 'published', published_at: '2026-11-21T16:00:00Z', yanked_at: null },
      { id: 10, version: '1.0.0', changelog: 'First release.', manifest: {}, status: 'published', published_at: '2026-11-21T15:00:48Z', yanked_at: null },
    ],
    track_record: {
      version: '1.0.1',
      computed_by: 'platform',
      published_at: '2026-11-21T16:00:00Z',
      in_sample: {
        kind: 'hypothetical',
        sample: 'in_sample',
        label: 'hypothetical',
        data_set: { exchange: 'sim', symbol: 'BTC-USDT', interval: '1m', bars: 5000, seed: 7 },
        metrics: { total_return: -0.1977, sharpe: 1.25, max_drawdown: 0.2218, trades: 93 },
        equity: curve,
        drawdown: [[1767225600000, 0], [1767225660000, 0], [1767225720000, 0.007]],
        method: 'Hypothetical, in-sample.',
      },
      out_of_sample: { kind: 'live_paper', sample: 'out_of_sample', status: 'collecting', samples: 0, equity: [], drawdown: [], metrics: null },
      author_runs_this_version: false,
    },
    reviews: [],
    latest_version: '1.0.1',
    ...changes,
  };
}

export function subscriptionOf(listing: Listing, changes: Partial<Subscription> = {}): Subscription {
  return {
    id: 5,
    listing: listing.slug,
    listing_name: listing.name,
    listing_price_cents: listing.price_cents ?? 0,
    currency: 'usd',
    status: 'active',
    follow_latest: true,
    pinned_version: null,
    deployable_version: 11,
    managed_by_stripe: false,
    grace_until: null,
    created_at: '2026-11-21T17:00:00Z',
    updated_at: '2026-11-21T17:00:00Z',
    ...changes,
  };
}

export const facets = {
  total: 2,
  free: 1,
  paid: 1,
  categories: [{ value: 'trend', count: 2 }],
  tags: [{ value: 'sma', count: 1 }, { value: 'macd', count: 1 }],
  markets: [{ value: 'sim:BTC-USDT', count: 2 }],
  intervals: [{ value: '1m', count: 2 }],
  risk_levels: [{ value: 'medium', count: 2 }],
};
