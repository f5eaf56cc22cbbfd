import { useQuery } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type InboundSignal = Schema<'InboundSignal'>;

/** GET /api/v1/signals/endpoints/{id}/signals: the latest 100 signals and what became of each. */
export function useSignals(endpointId: number) {
  return useQuery({
    queryKey: alertKeys.signals(endpointId),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/signals/endpoints/{id}/signals', { params: { path: { id: String(endpointId) } }, signal })),
    // Queued signals turn into placed/rejected within moments (a Celery task): follow them.
    refetchInterval: (query) => (query.state.data?.some((s) => s.status === 'queued') ? 2_000 : false),
  });
}
