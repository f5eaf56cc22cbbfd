import { useMutation, useQueryClient } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Deployment } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type DeploymentInput = Schema<'DeploymentInRequest'>;

/** POST /api/v1/deployments: running at once unless start=false. */
export function useCreateDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: DeploymentInput) =>
      (await unwrap(apiClient.POST('/api/v1/deployments', { body: input }))) as unknown as Deployment,
    onSuccess: (row) => {
      queryClient.setQueryData(deploymentKeys.detail(row.id), row);
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    },
  });
}
