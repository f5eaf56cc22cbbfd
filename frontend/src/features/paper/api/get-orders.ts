import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Order = Schema<'OrderOut'>;

/** GET /api/v1/accounts/{account_id}/orders?status=open */
export function useOpenOrders(accountId: number) {
  return useQuery({
    queryKey: [...paperKeys.orders(accountId), 'open'],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/accounts/{account_id}/orders', {
          params: { path: { account_id: accountId }, query: { status: 'open', limit: 200 } },
          signal,
        }),
      ),
  });
}
