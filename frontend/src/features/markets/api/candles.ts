/** One candle, numbers parsed once so the chart does not re-parse strings on each update. */
export type Candle = {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

/** A Binance-compatible kline row: [open_time, open, high, low, close, volume, close_time, ...]. */
export function candleFromRow(row: unknown): Candle | null {
  if (!Array.isArray(row) || row.length < 6) return null;
  const [openTime, open, high, low, close, volume] = row as [number, string, string, string, string, string];
  return {
    openTime: Number(openTime),
    open: Number(open),
    high: Number(high),
    low: Number(low),
    close: Number(close),
    volume: Number(volume),
  };
}

/** The kline push message (docs/websocket.md: the aggregator's KlineMessage). */
export type KlineMessage = {
  open_time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  closed?: boolean;
};

export function candleFromMessage(message: KlineMessage): Candle {
  return {
    openTime: message.open_time,
    open: Number(message.open),
    high: Number(message.high),
    low: Number(message.low),
    close: Number(message.close),
    volume: Number(message.volume),
  };
}

/** Applies a live candle: replaces the bar with the same open time, or appends a newer one. */
export function mergeCandle(candles: Candle[], candle: Candle): Candle[] {
  const last = candles[candles.length - 1];
  if (!last || candle.openTime > last.openTime) return [...candles, candle];
  const index = candles.findIndex((c) => c.openTime === candle.openTime);
  if (index === -1) return candles; // older than what we hold and not loaded: ignore
  const next = candles.slice();
  next[index] = candle;
  return next;
}

/** Prepends older history, dropping any overlap with what is already loaded. */
export function prependCandles(candles: Candle[], older: Candle[]): Candle[] {
  const firstOpen = candles[0]?.openTime ?? Number.POSITIVE_INFINITY;
  return [...older.filter((c) => c.openTime < firstOpen), ...candles];
}
