import { useEffect, useMemo, useState } from 'react';

import { pushClient } from '@/shared/ws/push-client';

/** A last price pushed over a `ticker` channel, and when it arrived (Date.now()). */
export type LiveMark = { price: string; at: number };

const FLUSH_MS = 250;

function closeOf(data: unknown): string | null {
  const close = (data as { close?: unknown } | null)?.close;
  return typeof close === 'string' ? close : typeof close === 'number' ? String(close) : null;
}

/**
 * Live last prices of one exchange's markets, keyed by symbol: the `ticker` push channel of each
 * (docs/websocket.md: the live 1d kline, whose `close` is the last trade price). Frames are
 * gathered and applied at most every 250 ms, so a busy market costs four renders a second.
 */
export function useLiveMarks(exchange: string | undefined, symbols: readonly string[]): Map<string, LiveMark> {
  const [marks, setMarks] = useState<Map<string, LiveMark>>(() => new Map());
  const key = useMemo(() => [...new Set(symbols)].sort().join(','), [symbols]);

  useEffect(() => {
    if (!exchange || !key) return;
    const pending = new Map<string, LiveMark>();
    const unsubscribers = key.split(',').map((symbol) =>
      pushClient().subscribe({ channel: 'ticker', exchange, symbol }, (frame) => {
        const close = closeOf(frame.data);
        if (close !== null) pending.set(symbol, { price: close, at: Date.now() });
      }),
    );
    const timer = setInterval(() => {
      if (pending.size === 0) return;
      const batch = new Map(pending);
      pending.clear();
      setMarks((old) => new Map([...old, ...batch]));
    }, FLUSH_MS);
    return () => {
      clearInterval(timer);
      unsubscribers.forEach((unsubscribe) => unsubscribe());
    };
  }, [exchange, key]);

  return marks;
}
