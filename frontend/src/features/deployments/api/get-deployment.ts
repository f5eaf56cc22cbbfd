import { useQuery } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Deployment } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/deployments/{id} */
export function useDeployment(id: number) {
  return useQuery({
    queryKey: deploymentKeys.detail(id),
    queryFn: async ({ signal }) =>
      (await unwrap(
        apiClient.GET('/api/v1/deployments/{id}', { params: { path: { id: String(id) } }, signal }),
      )) as unknown as Deployment,
    staleTime: 10_000,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 30_000 : false),
  });
}
