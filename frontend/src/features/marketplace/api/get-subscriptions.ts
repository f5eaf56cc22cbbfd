import { type QueryClient, useQuery } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Subscription = Schema<'SubscriptionOut'>;

/** Subscriptions that let the tenant deploy the listing (past_due: inside its grace period). */
export function isEntitled(subscription: Pick<Subscription, 'status'>): boolean {
  return subscription.status === 'active' || subscription.status === 'past_due';
}

/** GET /api/v1/marketplace/subscriptions: the tenant's subscriptions, newest first. */
export function useSubscriptions() {
  return useQuery({
    queryKey: marketplaceKeys.subscriptions,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/marketplace/subscriptions', { signal })),
    // Only this tenant's own actions change the list, and each puts its answer in (putSubscription).
    staleTime: 30_000,
  });
}

/** A subscription the API just answered replaces its row in the cached list (or joins it, first). */
export function putSubscription(queryClient: QueryClient, row: Subscription): void {
  queryClient.setQueryData<Subscription[]>(marketplaceKeys.subscriptions, (rows) =>
    rows ? [row, ...rows.filter((r) => r.id !== row.id)].sort((a, b) => b.id - a.id) : rows,
  );
}
