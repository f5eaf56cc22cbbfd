import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type EndpointRotated = Schema<'EndpointRotated'>;

/** POST /api/v1/webhooks/endpoints/{id}/rotate-secret; the new secret is in this answer only. */
export function useRotateSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.POST('/api/v1/webhooks/endpoints/{id}/rotate-secret', { params: { path: { id: String(id) } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.endpoints }),
  });
}
