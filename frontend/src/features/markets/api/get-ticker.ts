import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';

/**
 * The schema only declares `symbol` for a ticker row (an inline serializer), so the
 * fields backend/marketdata/selectors.ticker returns are spelled out here.
 */
export type TickerRow = {
  exchange: string;
  symbol: string;
  last_price: string;
  price_change: string;
  price_change_percent: string;
  high: string;
  low: string;
  volume: string;
  quote_volume: string;
  trades: number;
};

// The rolling 24h figures; last prices arrive live over the `ticker` push channels between polls.
export const TICKER_POLL_MS = 10_000;

/** GET /api/v1/market/ticker, polled: one request covers every instrument. */
export async function getTicker({ signal }: { signal?: AbortSignal } = {}): Promise<TickerRow[]> {
  const rows = await unwrap(apiClient.GET('/api/v1/market/ticker', { signal }));
  return rows as unknown as TickerRow[];
}

export function useTicker() {
  return useQuery({
    queryKey: ['market', 'ticker'],
    queryFn: ({ signal }) => getTicker({ signal }),
    refetchInterval: TICKER_POLL_MS,
  });
}
