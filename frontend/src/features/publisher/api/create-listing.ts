import { useMutation, useQueryClient } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ListingInput = Schema<'ListingInRequest'>;

/** POST /api/v1/marketplace/my-listings */
export function useCreateListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ListingInput) => unwrap(apiClient.POST('/api/v1/marketplace/my-listings', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publisherKeys.listings }),
  });
}
