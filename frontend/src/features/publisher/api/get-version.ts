import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { isInProgress } from '@/features/publisher/api/get-listing-versions';
import { publisherKeys } from '@/features/publisher/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

export const VERSION_POLL_MS = 2_000;

/**
 * GET /api/v1/marketplace/my-versions/{id}: status, validation report and platform backtest. Polled
 * while the pipeline runs; when it settles, the listing's versions table is refreshed too.
 */
export function useVersion(id: number | null, pollMs = VERSION_POLL_MS) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: publisherKeys.version(id ?? 0),
    enabled: id !== null,
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/marketplace/my-versions/{id}', { params: { path: { id: String(id ?? 0) } }, signal })),
    staleTime: 1_000, // the upload's answer seeds it: no refetch the moment the report mounts
    refetchInterval: (q) => (q.state.data && isInProgress(q.state.data.status) ? pollMs : false),
  });
  const status = query.data?.status;
  const listing = query.data?.listing;
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current && previous.current !== status && listing !== undefined) {
      void queryClient.invalidateQueries({ queryKey: publisherKeys.versions(listing) });
    }
    previous.current = status;
  }, [status, listing, queryClient]);
  return query;
}
