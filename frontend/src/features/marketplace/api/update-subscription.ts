import { useMutation, useQueryClient } from '@tanstack/react-query';

import { putSubscription } from '@/features/marketplace/api/get-subscriptions';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type PinInput = Schema<'PatchedSubscriptionPinInRequest'>;

/** PATCH /api/v1/marketplace/subscriptions/{id}: follow the latest version, or pin a published one. */
export function useUpdateSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: PinInput & { id: number }) =>
      unwrap(apiClient.PATCH('/api/v1/marketplace/subscriptions/{id}', { params: { path: { id: String(id) } }, body })),
    onSuccess: (row) => putSubscription(queryClient, row),
  });
}
