import { apiClient, unwrap } from '@/shared/api/client';
import { type Candle, candleFromRow } from '@/features/markets/api/candles';
import type { Interval } from '@/features/markets/api/intervals';

export const KLINES_PAGE = 500;

export type KlinesQuery = { exchange: string; symbol: string; interval: Interval; end?: number; limit?: number };

/** GET /api/v1/market/klines: the latest `limit` bars up to `end` (inclusive), oldest first. */
export async function getKlines(query: KlinesQuery, signal?: AbortSignal): Promise<Candle[]> {
  const body = await unwrap(
    apiClient.GET('/api/v1/market/klines', {
      params: { query: { ...query, limit: query.limit ?? KLINES_PAGE } },
      signal,
    }),
  );
  // A bare array of Binance-compatible rows; candleFromRow still checks each one.
  return body.map(candleFromRow).filter((c): c is Candle => c !== null);
}
