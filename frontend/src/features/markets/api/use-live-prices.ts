import { useEffect, useMemo, useState } from 'react';

import { pushClient } from '@/shared/ws/push-client';

type Market = { exchange: string; symbol: string };
const FLUSH_MS = 250;

function closeOf(data: unknown): string | null {
  const close = (data as { close?: unknown } | null)?.close;
  return typeof close === 'string' || typeof close === 'number' ? String(close) : null;
}

/**
 * Last prices pushed over /ws/v1 `ticker` channels (the live 1d kline of each market), keyed
 * "exchange:symbol". Frames are gathered and applied at most every 250 ms, so a hundred busy
 * markets cost four renders a second, not hundreds.
 */
export function useLivePrices(markets: Market[]): Map<string, string> {
  const [prices, setPrices] = useState<Map<string, string>>(() => new Map());
  const keys = useMemo(() => markets.map((m) => `${m.exchange}:${m.symbol}`).sort().join(','), [markets]);

  useEffect(() => {
    if (!keys) return;
    const pending = new Map<string, string>();
    const unsubscribers = keys.split(',').map((key) => {
      const [exchange = '', symbol = ''] = key.split(':');
      return pushClient().subscribe({ channel: 'ticker', exchange, symbol }, (frame) => {
        const close = closeOf(frame.data);
        if (close !== null) pending.set(key, close);
      });
    });
    const timer = setInterval(() => {
      if (pending.size === 0) return;
      const batch = new Map(pending);
      pending.clear();
      setPrices((old) => new Map([...old, ...batch]));
    }, FLUSH_MS);
    return () => {
      clearInterval(timer);
      unsubscribers.forEach((unsubscribe) => unsubscribe());
    };
  }, [keys]);

  return prices;
}
