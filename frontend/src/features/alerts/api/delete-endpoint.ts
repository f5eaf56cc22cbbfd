import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/webhooks/endpoints/{id} (its delivery log goes with it) */
export function useDeleteEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.DELETE('/api/v1/webhooks/endpoints/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: alertKeys.endpoints });
      void queryClient.invalidateQueries({ queryKey: alertKeys.deliveries });
    },
  });
}
