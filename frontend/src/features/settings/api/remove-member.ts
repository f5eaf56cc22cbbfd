import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/members/{id}: remove someone from the tenant (owner). */
export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.DELETE('/api/v1/members/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.members }),
  });
}
