import { useQuery } from '@tanstack/react-query';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Signal } from '@/features/deployments/api/types';
import { apiClient, unwrap } from '@/shared/api/client';

export const SIGNALS_SHOWN = 50;

/** GET /api/v1/deployments/{id}/signals: its decisions and the orders they placed, newest first. */
export function useSignals(id: number) {
  return useQuery({
    queryKey: deploymentKeys.signals(id),
    queryFn: async ({ signal }) =>
      (await unwrap(
        apiClient.GET('/api/v1/deployments/{id}/signals', {
          params: { path: { id: String(id) }, query: { limit: SIGNALS_SHOWN } },
          signal,
        }),
      )) as unknown as Signal[],
    staleTime: 10_000, // live frames add signals; returning to the page within 10 s re-reads nothing
  });
}
