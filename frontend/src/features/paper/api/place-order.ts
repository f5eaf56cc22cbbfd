import { useMutation, useQueryClient } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type OrderInput = Schema<'OrderInRequest'>;

/** POST /api/v1/accounts/{account_id}/orders. A rejection comes back as 422 with the engine's reason. */
export function usePlaceOrder(accountId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OrderInput) =>
      unwrap(apiClient.POST('/api/v1/accounts/{account_id}/orders', { params: { path: { account_id: accountId } }, body: input })),
    // Market orders fill at once: refresh everything the fill touches.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: paperKeys.account(accountId) }),
  });
}
