import { useMutation, useQueryClient } from '@tanstack/react-query';

import { externalPage } from '@/features/marketplace/api/external-page';
import { putSubscription } from '@/features/marketplace/api/get-subscriptions';
import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type SubscribeInput = Schema<'SubscribeInRequest'>;

/**
 * POST /api/v1/marketplace/subscriptions. Free listings answer an active subscription; paid ones a
 * pending one with `checkout_url`, where the browser goes next (Stripe Checkout).
 */
export function useSubscribe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SubscribeInput) =>
      unwrap(apiClient.POST('/api/v1/marketplace/subscriptions', { body: input })),
    onSuccess: (subscription) => {
      if (subscription.checkout_url) {
        externalPage.open(subscription.checkout_url);
        return;
      }
      putSubscription(queryClient, subscription);
      void queryClient.invalidateQueries({ queryKey: marketplaceKeys.listing(subscription.listing) });
    },
  });
}
