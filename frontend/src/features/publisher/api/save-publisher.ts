import { useMutation, useQueryClient } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type PublisherInput = Schema<'PublisherInRequest'>;

/** POST /api/v1/marketplace/publisher: create or update (display name, enabled). */
export function useSavePublisher() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PublisherInput) => unwrap(apiClient.POST('/api/v1/marketplace/publisher', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publisherKeys.profile }),
  });
}
