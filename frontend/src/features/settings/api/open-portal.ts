import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/billing/portal (admin): a Stripe Customer Portal URL (cards, invoices, cancellation). */
export function useOpenPortal() {
  return useMutation({
    mutationFn: () => unwrap(apiClient.POST('/api/v1/billing/portal')),
  });
}
