import { useMutation, useQueryClient } from '@tanstack/react-query';

import { putSubscription } from '@/features/marketplace/api/get-subscriptions';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/marketplace/subscriptions/{id}/cancel (free or staff-granted; Stripe ones use the portal). */
export function useCancelSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.POST('/api/v1/marketplace/subscriptions/{id}/cancel', { params: { path: { id: String(id) } } })),
    onSuccess: (row) => putSubscription(queryClient, row),
  });
}
