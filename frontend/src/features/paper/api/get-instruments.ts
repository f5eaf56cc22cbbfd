import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Instrument = Schema<'Instrument'>;

/**
 * GET /api/v1/market/instruments, for tick/lot validation in the order ticket. Same key as
 * the markets feature's hook (features do not import each other), so the cache is shared.
 */
export function useTradableInstruments() {
  return useQuery({
    queryKey: ['market', 'instruments'],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/market/instruments', { signal })),
    staleTime: Infinity,
  });
}
