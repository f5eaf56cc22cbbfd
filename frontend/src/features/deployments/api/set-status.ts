import { useMutation, useQueryClient } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Deployment } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

export type StatusAction = 'start' | 'pause' | 'stop';

const PATHS = {
  start: '/api/v1/deployments/{id}/start',
  pause: '/api/v1/deployments/{id}/pause',
  stop: '/api/v1/deployments/{id}/stop',
} as const;

/** POST /api/v1/deployments/{id}/start | pause | stop */
export function useSetDeploymentStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, action }: { id: number; action: StatusAction }) =>
      (await unwrap(
        apiClient.POST(PATHS[action], { params: { path: { id: String(id) } } }),
      )) as unknown as Deployment,
    onSuccess: (row) => {
      queryClient.setQueryData(deploymentKeys.detail(row.id), row);
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    },
  });
}
