import { useQuery } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Deployment } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

export const DEPLOYMENTS_PAGE = 20;

/** GET /api/v1/deployments, newest first; `before` = the last id of the previous page. */
export function useDeployments(before: number | undefined) {
  return useQuery({
    queryKey: deploymentKeys.list(before),
    queryFn: async ({ signal }) =>
      (await unwrap(
        apiClient.GET('/api/v1/deployments', { params: { query: { limit: DEPLOYMENTS_PAGE, before } }, signal }),
      )) as unknown as Deployment[],
    // P&L moves with the market: refresh while anything runs (status changes also arrive over the socket).
    staleTime: 10_000,
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'running') ? 30_000 : false),
  });
}
