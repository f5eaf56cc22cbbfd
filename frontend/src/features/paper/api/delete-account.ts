import { useMutation, useQueryClient } from '@tanstack/react-query';

import { paperKeys } from '@/features/paper/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/accounts/{id}: frees a slot of the tier's paper-account quota. */
export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accountId: number) =>
      unwrap(apiClient.DELETE('/api/v1/accounts/{id}', { params: { path: { id: String(accountId) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: paperKeys.accounts }),
  });
}
