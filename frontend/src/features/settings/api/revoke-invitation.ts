import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/invitations/{id} (owner): the emailed link stops working. */
export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.DELETE('/api/v1/invitations/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.invitations }),
  });
}
