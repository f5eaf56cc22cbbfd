import type { BrowseQuery } from '@/features/marketplace/api/get-listings';

/** Query keys of the marketplace screens; mutations invalidate by prefix. */
export const marketplaceKeys = {
  listings: (query: BrowseQuery) => ['marketplace', 'listings', query] as const,
  facets: ['marketplace', 'facets'] as const,
  listing: (slug: string) => ['marketplace', 'listing', slug] as const,
  subscriptions: ['marketplace', 'subscriptions'] as const,
  myReviews: ['marketplace', 'my-reviews'] as const,
  billing: ['marketplace', 'billing'] as const,
};
