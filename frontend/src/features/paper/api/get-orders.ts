import { useQuery } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Order = Schema<'OrderOut'>;

export const ORDERS_PAGE = 50;

/**
 * GET /api/v1/accounts/{account_id}/orders, newest first: every order, or only the open ones
 * (new, partially filled). `before` = the last order id of the previous page.
 */
export function useOrders(accountId: number, { status, before }: { status?: 'open'; before?: string } = {}) {
  return useQuery({
    // Under the orders prefix, so a pushed order update refreshes whichever page is shown.
    queryKey: [...paperKeys.orders(accountId), status ?? 'all', { before: before ?? null }],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/accounts/{account_id}/orders', {
          params: {
            path: { account_id: accountId },
            query: { limit: ORDERS_PAGE, ...(status ? { status } : {}), ...(before ? { before } : {}) },
          },
          signal,
        }),
      ),
  });
}
