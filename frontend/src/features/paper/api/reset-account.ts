import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/accounts/{account_id}/reset: back to the starting balance, orders and positions gone. */
export function useResetAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accountId: number) =>
      unwrap(apiClient.POST('/api/v1/accounts/{account_id}/reset', { params: { path: { account_id: accountId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['paper'] }),
  });
}
