import { useMemo } from 'react';

import { type Instrument, useInstruments } from '@/features/markets/api/get-instruments';
import { type TickerRow, useTicker } from '@/features/markets/api/get-ticker';

export type MarketRow = Instrument & { ticker: TickerRow | undefined };

/** Every instrument, joined with its (polled) 24h ticker; instruments without trades still show. */
export function useMarketsList() {
  const instruments = useInstruments();
  const ticker = useTicker();
  const rows = useMemo<MarketRow[]>(() => {
    const bySymbol = new Map((ticker.data ?? []).map((t) => [`${t.exchange}:${t.symbol}`, t]));
    return (instruments.data ?? []).map((i) => ({ ...i, ticker: bySymbol.get(`${i.exchange}:${i.symbol}`) }));
  }, [instruments.data, ticker.data]);
  return { rows, isPending: instruments.isPending, error: instruments.error ?? ticker.error };
}

/**
 * A row with a newer pushed last price: the 24h change is recomputed against the same opening
 * price the polled ticker used (its last price minus its change).
 */
export function withLivePrice(row: MarketRow, live: string | undefined): MarketRow {
  if (live === undefined || !row.ticker) return row;
  const open = Number(row.ticker.last_price) - Number(row.ticker.price_change);
  const change = Number(live) - open;
  return {
    ...row,
    ticker: {
      ...row.ticker,
      last_price: live,
      price_change: String(change),
      price_change_percent: open > 0 ? String((change / open) * 100) : row.ticker.price_change_percent,
      high: Number(live) > Number(row.ticker.high) ? live : row.ticker.high,
      low: Number(live) < Number(row.ticker.low) ? live : row.ticker.low,
    },
  };
}
