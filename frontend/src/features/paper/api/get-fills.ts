import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

export const FILLS_PAGE = 50;

/** GET /api/v1/accounts/{account_id}/fills, newest first; `before` = the last fill id of the previous page. */
export function useFills(accountId: number, before?: string) {
  return useQuery({
    // Under the fills prefix, so a pushed fill refreshes whichever page is shown.
    queryKey: [...paperKeys.fills(accountId), { before: before ?? null }],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/accounts/{account_id}/fills', {
          params: { path: { account_id: accountId }, query: { limit: FILLS_PAGE, ...(before ? { before } : {}) } },
          signal,
        }),
      ),
  });
}
