import { useMutation } from '@tanstack/react-query';

import { externalPage } from '@/features/marketplace/api/external-page';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/billing/portal: Stripe's Customer Portal, where paid subscriptions are cancelled. */
export function useOpenBillingPortal() {
  return useMutation({
    mutationFn: () => unwrap(apiClient.POST('/api/v1/billing/portal')),
    onSuccess: ({ url }) => externalPage.open(url),
  });
}
