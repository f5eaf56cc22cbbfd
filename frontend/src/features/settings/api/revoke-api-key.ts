import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/api-keys/{id} (admin): refused from the next request on. */
export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.audit }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.auditActions }),
    ]),
  });
}
