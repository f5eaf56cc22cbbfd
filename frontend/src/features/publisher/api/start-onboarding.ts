import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

export type OnboardingLink = { account: string; url: string };

/** POST /api/v1/marketplace/publisher/onboarding: a fresh Stripe Connect onboarding link (503 without billing). */
export function useStartOnboarding() {
  return useMutation({
    mutationFn: async () =>
      (await unwrap(apiClient.POST('/api/v1/marketplace/publisher/onboarding'))) as unknown as OnboardingLink,
  });
}
