import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts, for event rules bound to one paper account (the paper feature's cache key). */
export function useAlertAccounts(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['paper', 'accounts'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/accounts', { signal })),
  });
}
