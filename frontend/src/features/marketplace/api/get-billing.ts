import { useQuery } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/billing: only `enabled` matters here (false: no Stripe, paid listings cannot be bought). */
export function useBillingEnabled({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: marketplaceKeys.billing,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/billing', { signal })),
    select: (billing) => billing.enabled,
    staleTime: 5 * 60_000,
    enabled,
  });
}
