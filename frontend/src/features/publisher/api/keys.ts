/** Query keys of the publisher's side of the marketplace. */
export const publisherKeys = {
  all: ['publisher'] as const,
  profile: ['publisher', 'profile'] as const,
  listings: ['publisher', 'listings'] as const,
  listing: (id: number) => ['publisher', 'listing', id] as const,
  versions: (listingId: number) => ['publisher', 'listing', listingId, 'versions'] as const,
  stats: (listingId: number) => ['publisher', 'listing', listingId, 'stats'] as const,
  version: (id: number) => ['publisher', 'version', id] as const,
};
