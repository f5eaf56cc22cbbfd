import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts/{account_id}/balances */
export function useBalances(accountId: number) {
  return useQuery({
    queryKey: paperKeys.balances(accountId),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/accounts/{account_id}/balances', { params: { path: { account_id: accountId } }, signal })),
  });
}
