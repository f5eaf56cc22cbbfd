import { useMutation, useQueryClient } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/deployments/{id}: only a stopped one whose position the runner has closed (else 409). */
export function useDeleteDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(apiClient.DELETE('/api/v1/deployments/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: deploymentKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    },
  });
}
