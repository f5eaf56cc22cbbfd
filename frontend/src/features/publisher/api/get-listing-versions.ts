import { useQuery } from '@tanstack/react-query';

import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Version = Schema<'VersionOut'>;
export type VersionStatus = NonNullable<Version['status']>;

export const VERSIONS_PAGE = 20;

/** Statuses the pipeline is still working on (validation, then the platform backtest). */
export function isInProgress(status: Version['status']): boolean {
  return status === 'validating' || status === 'backtested';
}

/** GET /api/v1/marketplace/my-listings/{id}/versions, highest version first; `before` = the last version id seen. */
export function useListingVersions(listingId: number, before: number | undefined) {
  return useQuery({
    queryKey: [...publisherKeys.versions(listingId), before ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/marketplace/my-listings/{id}/versions', {
          params: { path: { id: String(listingId) }, query: { limit: VERSIONS_PAGE, before } },
          signal,
        }),
      ),
    // Keep validating rows moving (nothing pushes version progress over the socket).
    refetchInterval: (query) => (query.state.data?.some((v) => isInProgress(v.status)) ? 5_000 : false),
  });
}
