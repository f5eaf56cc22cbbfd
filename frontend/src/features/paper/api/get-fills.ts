import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts/{account_id}/fills */
export function useFills(accountId: number) {
  return useQuery({
    queryKey: paperKeys.fills(accountId),
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/accounts/{account_id}/fills', {
          params: { path: { account_id: accountId }, query: { limit: 100 } },
          signal,
        }),
      ),
  });
}
