import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/market/instruments (same cache key as the other features' copies). */
export function useDeployInstruments() {
  return useQuery({
    queryKey: ['market', 'instruments'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/market/instruments', { signal })),
    staleTime: Infinity,
  });
}
