import { useQuery } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type SignalEndpoint = Schema<'SignalEndpoint'>;

/** GET /api/v1/signals/endpoints (few: the tier's webhook_endpoints quota bounds them) */
export function useSignalEndpoints() {
  return useQuery({
    queryKey: alertKeys.signalEndpoints,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/signals/endpoints', { signal })),
  });
}
