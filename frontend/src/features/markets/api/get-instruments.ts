import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Instrument = Schema<'Instrument'>;

/** GET /api/v1/market/instruments — static reference data, cached for the session. */
export const instrumentsQueryOptions = () =>
  queryOptions({
    queryKey: ['market', 'instruments'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/market/instruments', { signal })),
    staleTime: Infinity,
  });

export function useInstruments() {
  return useQuery(instrumentsQueryOptions());
}
