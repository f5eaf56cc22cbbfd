import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/accounts/{id} */
export function useAccount(accountId: number) {
  return useQuery({
    queryKey: paperKeys.account(accountId),
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/accounts/{id}', { params: { path: { id: String(accountId) } }, signal })),
  });
}
