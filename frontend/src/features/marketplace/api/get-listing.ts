import { useQuery } from '@tanstack/react-query';

import { marketplaceKeys } from '@/features/marketplace/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type ListingDetail = Schema<'ListingDetailOut'>;
export type TrackRecord = Schema<'TrackRecordOut'>;
export type SampleRecord = Schema<'RecordOut'>;
export type Version = Schema<'PublicVersionOut'>;
export type Review = Schema<'ReviewOut'>;

/** GET /api/v1/marketplace/listings/{slug}: the listing, its versions, track record and latest reviews. */
export function useListing(slug: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: marketplaceKeys.listing(slug),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/marketplace/listings/{slug}', { params: { path: { slug } }, signal })),
    enabled,
  });
}
