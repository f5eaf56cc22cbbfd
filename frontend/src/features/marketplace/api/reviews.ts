import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ReviewInput = Schema<'ReviewInRequest'>;

/** GET /api/v1/marketplace/reviews: this tenant's own reviews (one per listing). */
export function useMyReviews({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: marketplaceKeys.myReviews,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/marketplace/reviews', { signal })),
    enabled,
  });
}

/** POST /api/v1/marketplace/reviews: writes the tenant's review of a listing, or edits it (same call). */
export function useSaveReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ReviewInput) => unwrap(apiClient.POST('/api/v1/marketplace/reviews', { body: input })),
    onSuccess: (review) => {
      void queryClient.invalidateQueries({ queryKey: marketplaceKeys.myReviews });
      void queryClient.invalidateQueries({ queryKey: marketplaceKeys.listing(review.listing) });
    },
  });
}
