import { useMutation } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/** POST /api/v1/signals/endpoints/{id}/rotate-secret: a new secret at once (the old one stops working). */
export function useRotateSignalSecret() {
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(apiClient.POST('/api/v1/signals/endpoints/{id}/rotate-secret', { params: { path: { id: String(id) } } })),
  });
}
