import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type SignalEndpointInput = Schema<'SignalEndpointInRequest'>;

/** POST /api/v1/signals/endpoints; the answer carries the secret and the URL, this once. */
export function useCreateSignalEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignalEndpointInput) => unwrap(apiClient.POST('/api/v1/signals/endpoints', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.signalEndpoints }),
  });
}
