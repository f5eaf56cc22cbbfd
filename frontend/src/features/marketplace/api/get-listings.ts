import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { paths } from '@/shared/api/schema';
import type { Schema } from '@/shared/api/types';

export type Listing = Schema<'PublicListingOut'>;
export type BrowseQuery = NonNullable<paths['/api/v1/marketplace/listings']['get']['parameters']['query']>;
export type Sort = NonNullable<BrowseQuery['sort']>;

export const LISTINGS_PAGE_SIZE = 12;

/** GET /api/v1/marketplace/listings: one numbered page and the total (X-Total-Count) over all pages. */
export function useListings(query: BrowseQuery) {
  return useQuery({
    queryKey: marketplaceKeys.listings(query),
    queryFn: async ({ signal }) => {
      const call = apiClient.GET('/api/v1/marketplace/listings', {
        params: { query: { ...query, page_size: LISTINGS_PAGE_SIZE } },
        signal,
      });
      const rows = await unwrap(call);
      const total = Number((await call).response.headers.get('X-Total-Count') ?? rows.length);
      return { rows, total: Number.isFinite(total) ? total : rows.length };
    },
    // Filters and pages change the key: keep the last page on screen until the next one arrives.
    placeholderData: keepPreviousData,
  });
}
