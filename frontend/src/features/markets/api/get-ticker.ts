import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type TickerRow = Schema<'Ticker'>;

// The rolling 24h figures; last prices arrive live over the `ticker` push channels between polls.
export const TICKER_POLL_MS = 10_000;

/** GET /api/v1/market/ticker, polled: one request covers every instrument. */
export async function getTicker({ signal }: { signal?: AbortSignal } = {}): Promise<TickerRow[]> {
  return unwrap(apiClient.GET('/api/v1/market/ticker', { signal }));
}

export function useTicker() {
  return useQuery({
    queryKey: ['market', 'ticker'],
    queryFn: ({ signal }) => getTicker({ signal }),
    refetchInterval: TICKER_POLL_MS,
  });
}
