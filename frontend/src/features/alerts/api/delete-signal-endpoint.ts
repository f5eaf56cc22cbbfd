import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/signals/endpoints/{id} */
export function useDeleteSignalEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.DELETE('/api/v1/signals/endpoints/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.signalEndpoints }),
  });
}
