import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Delivery = Schema<'DeliveryLog'>;

/** While a delivery is pending (queued, or waiting for a retry) the log is polled. */
export const pendingPoll = (rows: Delivery[] | undefined) => (rows?.some((d) => d.status === 'pending') ? 2_000 : false);

/** GET /api/v1/webhooks/deliveries, newest first (every endpoint). */
export function useDeliveries(before: number | undefined) {
  return useQuery({
    queryKey: alertKeys.deliveriesPage(before),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/webhooks/deliveries', { params: { query: { limit: PAGE_SIZE, before } }, signal })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pendingPoll(query.state.data),
  });
}
