import { useMutation, useQueryClient } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Deployment } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

/** What PATCH may change (the rest is fixed: create a new deployment instead). null turns a stop off. */
export type DeploymentChanges = {
  name?: string;
  sizing?: 'fixed_fraction' | 'volatility_target' | 'kelly_cap';
  sizing_params?: Record<string, number | string>;
  stop_loss?: number | null;
  take_profit?: number | null;
  max_drawdown?: number | null;
};

/** PATCH /api/v1/deployments/{id}: name, sizing, stops (the runner picks them up within a second). */
export function useUpdateDeployment(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: DeploymentChanges) =>
      (await unwrap(
        apiClient.PATCH('/api/v1/deployments/{id}', {
          params: { path: { id: String(id) } },
          // The schema documents the create body; PATCH takes the changeable subset of it.
          body: changes as never,
        }),
      )) as unknown as Deployment,
    onSuccess: (row) => {
      queryClient.setQueryData(deploymentKeys.detail(row.id), row);
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    },
  });
}
