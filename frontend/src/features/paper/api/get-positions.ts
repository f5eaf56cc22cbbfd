import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/**
 * Positions change on fills (pushed: use-live-account refetches them) and their marks move live
 * over the ticker channels (use-live-marks); this slow poll only catches up after a lost socket.
 */
export const POSITIONS_POLL_MS = 30_000;

/** GET /api/v1/accounts/{account_id}/positions */
export function usePositions(accountId: number) {
  return useQuery({
    queryKey: paperKeys.positions(accountId),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/accounts/{account_id}/positions', { params: { path: { account_id: accountId } }, signal })),
    refetchInterval: POSITIONS_POLL_MS,
  });
}
