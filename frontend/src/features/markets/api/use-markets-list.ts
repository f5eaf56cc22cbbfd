import { useMemo } from 'react';

import { type Instrument, useInstruments } from '@/features/markets/api/get-instruments';
import { type TickerRow, useTicker } from '@/features/markets/api/get-ticker';

export type MarketRow = Instrument & { ticker: TickerRow | undefined };

/** Every instrument, joined with its (polled) ticker; instruments without trades still show. */
export function useMarketsList() {
  const instruments = useInstruments();
  const ticker = useTicker();
  const rows = useMemo<MarketRow[]>(() => {
    const bySymbol = new Map((ticker.data ?? []).map((t) => [`${t.exchange}:${t.symbol}`, t]));
    return (instruments.data ?? []).map((i) => ({ ...i, ticker: bySymbol.get(`${i.exchange}:${i.symbol}`) }));
  }, [instruments.data, ticker.data]);
  return { rows, isPending: instruments.isPending, error: instruments.error ?? ticker.error };
}
