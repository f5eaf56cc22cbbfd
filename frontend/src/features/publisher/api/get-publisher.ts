import { useQuery } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type PublisherState = Schema<'PublisherStateOut'>;

/** GET /api/v1/marketplace/publisher: the profile (id null until created) and whether billing is on. */
export function usePublisher() {
  return useQuery({
    queryKey: publisherKeys.profile,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/marketplace/publisher', { signal })),
    staleTime: 30_000,
  });
}
