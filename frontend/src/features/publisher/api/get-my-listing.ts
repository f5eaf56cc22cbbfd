import { useQuery } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/marketplace/my-listings/{id} */
export function useMyListing(id: number) {
  return useQuery({
    queryKey: publisherKeys.listing(id),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/marketplace/my-listings/{id}', { params: { path: { id: String(id) } }, signal })),
    staleTime: 15_000,
  });
}
