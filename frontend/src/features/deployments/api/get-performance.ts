import { useQuery } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Performance = Omit<Schema<'PerformanceOut'>, 'equity' | 'drawdown'> & {
  equity: [number, string][];
  drawdown: [number, number][];
};

/** GET /api/v1/deployments/{id}/performance: the account's equity and drawdown since it started, its own trades. */
export function usePerformance(id: number, live: boolean) {
  return useQuery({
    queryKey: deploymentKeys.performance(id),
    queryFn: async ({ signal }) =>
      (await unwrap(
        apiClient.GET('/api/v1/deployments/{id}/performance', {
          params: { path: { id: String(id) }, query: { limit: 1000 } },
          signal,
        }),
      )) as unknown as Performance,
    // Equity samples accrue with the market, not only on signals.
    refetchInterval: live ? 60_000 : false,
    staleTime: 10_000,
  });
}
