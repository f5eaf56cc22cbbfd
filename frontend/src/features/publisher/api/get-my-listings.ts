import { useQuery } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Listing = Schema<'ListingOut'>;
/** A row of the list: the listing with its revenue (one row per currency). */
export type MyListing = Schema<'MyListingOut'>;

export const LISTINGS_PAGE = 20;

/** GET /api/v1/marketplace/my-listings, newest first; `before` = the last id seen pages back. */
export function useMyListings(before: number | undefined) {
  return useQuery({
    queryKey: [...publisherKeys.listings, before ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/marketplace/my-listings', { params: { query: { limit: LISTINGS_PAGE, before } }, signal }),
      ),
  });
}
