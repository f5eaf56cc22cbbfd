import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts: the paper accounts a deployment can trade on (same cache key as the paper feature). */
export function useDeployAccounts() {
  return useQuery({
    queryKey: ['paper', 'accounts'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/accounts', { signal })),
    staleTime: 30_000,
  });
}
