import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/billing/checkout (admin): a Stripe Checkout URL for upgrading to `tier`. */
export function useStartCheckout() {
  return useMutation({
    mutationFn: (tier: string) => unwrap(apiClient.POST('/api/v1/billing/checkout', { body: { tier } })),
  });
}
