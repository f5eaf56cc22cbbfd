import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Firing = Schema<'Firing'>;

/** GET /api/v1/alerts/firings, newest first (every rule). */
export function useFirings(before: number | undefined) {
  return useQuery({
    queryKey: alertKeys.firingsPage(before),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/alerts/firings', { params: { query: { limit: PAGE_SIZE, before } }, signal })),
    placeholderData: keepPreviousData,
    // Firings are pushed live (useLiveFirings); this only catches up after a dropped socket.
    refetchInterval: before === undefined ? 30_000 : false,
  });
}
