import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { pendingPoll } from '@/features/alerts/api/get-deliveries';
import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/webhooks/endpoints/{id}/deliveries, newest first, every attempt. */
export function useEndpointDeliveries(endpointId: number, before: number | undefined) {
  return useQuery({
    queryKey: alertKeys.endpointDeliveriesPage(endpointId, before),
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/webhooks/endpoints/{id}/deliveries', {
          params: { path: { id: String(endpointId) }, query: { limit: PAGE_SIZE, before } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pendingPoll(query.state.data),
  });
}
