import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** Marks move with every trade, but positions are only pushed on fills: poll for live P&L. */
export const POSITIONS_POLL_MS = 3_000;

/** GET /api/v1/accounts/{account_id}/positions */
export function usePositions(accountId: number) {
  return useQuery({
    queryKey: paperKeys.positions(accountId),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/accounts/{account_id}/positions', { params: { path: { account_id: accountId } }, signal })),
    refetchInterval: POSITIONS_POLL_MS,
  });
}
