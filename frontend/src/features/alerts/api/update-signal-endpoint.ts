import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

/** PATCH /api/v1/signals/endpoints/{id} (enable/disable, allowlist, name, account) */
export function useUpdateSignalEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: Schema<'PatchedSignalEndpointInRequest'> }) =>
      unwrap(apiClient.PATCH('/api/v1/signals/endpoints/{id}', { params: { path: { id: String(id) } }, body: patch })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.signalEndpoints }),
  });
}
