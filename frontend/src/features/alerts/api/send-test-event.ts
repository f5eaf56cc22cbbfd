import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/webhooks/endpoints/{id}/test: queues a `test` event to this endpoint. */
export function useSendTestEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.POST('/api/v1/webhooks/endpoints/{id}/test', { params: { path: { id: String(id) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.deliveries }),
  });
}
