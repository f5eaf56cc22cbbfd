import { useMutation, useQueryClient } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/accounts/{account_id}/orders/{order_id} */
export function useCancelOrder(accountId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (orderId: string) =>
      unwrap(
        apiClient.DELETE('/api/v1/accounts/{account_id}/orders/{order_id}', {
          params: { path: { account_id: accountId, order_id: orderId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: paperKeys.account(accountId) }),
  });
}
