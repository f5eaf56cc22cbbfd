import { useQuery } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Endpoint = Schema<'Endpoint'>;
export type EventType = Endpoint['event_types'][number];

export const EVENT_TYPES: { value: EventType; label: string }[] = [
  { value: 'alert.fired', label: 'Alert fired' },
  { value: 'order.filled', label: 'Order filled' },
  { value: 'deployment.errored', label: 'Deployment errored' },
  { value: 'account.drawdown_breached', label: 'Drawdown breached' },
  { value: 'subscription.lapsed', label: 'Subscription lapsed' },
  { value: 'test', label: 'Test events' },
];

/** GET /api/v1/webhooks/endpoints (few: the tier quota bounds them) */
export function useEndpoints() {
  return useQuery({
    queryKey: alertKeys.endpoints,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/webhooks/endpoints', { signal })),
  });
}
