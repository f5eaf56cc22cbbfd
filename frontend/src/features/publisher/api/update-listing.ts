import { useMutation, useQueryClient } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ListingPatch = Schema<'PatchedListingInRequest'>;

/** PATCH /api/v1/marketplace/my-listings/{id} (the slug cannot change). */
export function useUpdateListing(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ListingPatch) =>
      unwrap(apiClient.PATCH('/api/v1/marketplace/my-listings/{id}', { params: { path: { id: String(id) } }, body: patch })),
    onSuccess: (listing) => {
      queryClient.setQueryData(publisherKeys.listing(id), listing);
      void queryClient.invalidateQueries({ queryKey: publisherKeys.listings });
    },
  });
}
