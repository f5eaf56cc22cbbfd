import { useMutation, useQueryClient } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type EndpointInput = Schema<'EndpointRequest'>;
export type EndpointCreated = Schema<'EndpointCreated'>;

/** POST /api/v1/webhooks/endpoints; the answer carries the signing secret, this once. */
export function useCreateEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: EndpointInput) => unwrap(apiClient.POST('/api/v1/webhooks/endpoints', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.endpoints }),
  });
}
