import { useQuery } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ListingStats = Schema<'ListingStatsOut'>;

/** GET /api/v1/marketplace/my-listings/{id}/stats: subscribers by status and revenue from paid invoices. */
export function useListingStats(id: number) {
  return useQuery({
    queryKey: publisherKeys.stats(id),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/marketplace/my-listings/{id}/stats', { params: { path: { id: String(id) } }, signal })),
    staleTime: 60_000,
  });
}
