import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts/{account_id}/equity: the equity curve samples. */
export function useEquity(accountId: number) {
  return useQuery({
    queryKey: paperKeys.equity(accountId),
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/accounts/{account_id}/equity', {
          params: { path: { account_id: accountId }, query: { limit: 1000 } },
          signal,
        }),
      ),
    refetchInterval: 30_000,
  });
}
