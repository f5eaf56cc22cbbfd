import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** DELETE /api/v1/alerts/rules/{id} (its firings go with it) */
export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(apiClient.DELETE('/api/v1/alerts/rules/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: alertKeys.rules });
      void queryClient.invalidateQueries({ queryKey: alertKeys.firings });
    },
  });
}
