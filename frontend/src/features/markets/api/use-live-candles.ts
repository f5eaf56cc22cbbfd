import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';

import {
  type Candle,
  type KlineMessage,
  candleFromMessage,
  mergeCandle,
  prependCandles,
} from '@/features/markets/api/candles';
import type { Interval } from '@/features/markets/api/intervals';
import { KLINES_PAGE, getKlines } from '@/features/markets/api/get-klines';
import { usePushChannel } from '@/shared/ws/use-push-channel';

export type Market = { exchange: string; symbol: string; interval: Interval };

/**
 * Candles for a chart: the latest page from REST, older pages on demand (scroll back),
 * and the forming bar patched live from the WebSocket klines channel.
 */
export function useLiveCandles({ exchange, symbol, interval }: Market) {
  const latest = useQuery({
    queryKey: ['market', 'klines', exchange, symbol, interval],
    queryFn: ({ signal }) => getKlines({ exchange, symbol, interval }, signal),
    staleTime: Infinity,
    gcTime: 0,
  });
  const [candles, setCandles] = useState<Candle[]>([]);
  const [liveUpdates, setLiveUpdates] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [reachedStart, setReachedStart] = useState(false);
  const candlesRef = useRef(candles);
  candlesRef.current = candles;

  useEffect(() => {
    setCandles(latest.data ?? []);
    setReachedStart(false);
    setLiveUpdates(0);
  }, [latest.data]);

  usePushChannel({ channel: 'klines', exchange, symbol, interval }, (frame) => {
    if (!latest.data) return; // merge only onto the REST page, else a snapshot would stand alone
    setCandles((current) => mergeCandle(current, candleFromMessage(frame.data as KlineMessage)));
    setLiveUpdates((n) => n + 1);
  });

  const loadOlder = useCallback(async () => {
    const first = candlesRef.current[0];
    if (!first || loadingOlder || reachedStart) return;
    setLoadingOlder(true);
    try {
      const older = await getKlines({ exchange, symbol, interval, end: first.openTime - 1 });
      if (older.length < KLINES_PAGE) setReachedStart(true);
      setCandles((current) => prependCandles(current, older));
    } finally {
      setLoadingOlder(false);
    }
  }, [exchange, symbol, interval, loadingOlder, reachedStart]);

  return {
    candles,
    isPending: latest.isPending,
    error: latest.error,
    loadOlder,
    loadingOlder,
    reachedStart,
    liveUpdates,
  };
}
