import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';
import { usePushChannel } from '@/shared/ws/use-push-channel';

export type Trade = Schema<'TradeRow'>;

export const RECENT_TRADES = 40;

/**
 * A pushed trade batch row (docs/websocket.md: "the trade batch array"):
 * [exchange, symbol, id, time_ms, price, qty, side, recv_ms].
 */
export function tradeFromPush(row: unknown): Trade | null {
  if (!Array.isArray(row) || row.length < 7) return null;
  const [, , id, time, price, qty, side] = row as [string, string, number, number, string, string, string];
  return { id, time, price, qty, side };
}

/** Newest first, deduplicated by id, capped. */
export function addTrades(current: Trade[], incoming: Trade[]): Trade[] {
  const seen = new Set(current.map((t) => t.id));
  const fresh = incoming.filter((t) => !seen.has(t.id)).sort((a, b) => b.time - a.time);
  return [...fresh, ...current].slice(0, RECENT_TRADES);
}

/** GET /api/v1/market/trades for the backlog, then the WS trades channel. */
export function useRecentTrades(exchange: string, symbol: string) {
  const backlog = useQuery({
    queryKey: ['market', 'trades', exchange, symbol],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/market/trades', { params: { query: { exchange, symbol, limit: RECENT_TRADES } }, signal })),
    staleTime: Infinity,
    gcTime: 0,
  });
  const [trades, setTrades] = useState<Trade[]>([]);

  useEffect(() => {
    setTrades((current) => addTrades(current, backlog.data ?? []));
  }, [backlog.data]);
  useEffect(() => setTrades([]), [exchange, symbol]);

  usePushChannel({ channel: 'trades', exchange, symbol }, (frame) => {
    const rows = Array.isArray(frame.data) ? frame.data : [];
    setTrades((current) => addTrades(current, rows.map(tradeFromPush).filter((t): t is Trade => t !== null)));
  });

  return { trades, error: backlog.error };
}
