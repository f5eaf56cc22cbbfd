import { useQuery } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Billing = Schema<'BillingOut'>;
export type QuotaUsage = Schema<'QuotaUsageOut'>;

/** GET /api/v1/billing: the tier, whether Stripe billing is on, and usage against each tier limit. */
export function useBilling() {
  return useQuery({
    queryKey: settingsKeys.billing,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/billing', { signal })),
  });
}
