import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';
import type { Interval } from '@/features/markets/api/intervals';

export type IndicatorSeries = Schema<'IndicatorSeries'>;
export type IndicatorName = 'adx' | 'atr' | 'bbands' | 'ema' | 'macd' | 'obv' | 'rsi' | 'sma' | 'stoch' | 'vwap' | 'wma';

export type IndicatorChoice = { id: string; name: IndicatorName; params?: string; label: string; overlay: boolean };

/** Presets offered in the chart's indicator menu. Overlays share the price axis; the rest get a pane. */
export const INDICATOR_CHOICES: IndicatorChoice[] = [
  { id: 'sma20', name: 'sma', params: 'period=20', label: 'SMA 20', overlay: true },
  { id: 'ema50', name: 'ema', params: 'period=50', label: 'EMA 50', overlay: true },
  { id: 'wma20', name: 'wma', params: 'period=20', label: 'WMA 20', overlay: true },
  { id: 'bbands', name: 'bbands', label: 'Bollinger Bands', overlay: true },
  { id: 'vwap', name: 'vwap', label: 'VWAP', overlay: true },
  { id: 'rsi', name: 'rsi', params: 'period=14', label: 'RSI 14', overlay: false },
  { id: 'macd', name: 'macd', label: 'MACD', overlay: false },
  { id: 'atr', name: 'atr', label: 'ATR', overlay: false },
];

export type IndicatorQuery = {
  exchange: string;
  symbol: string;
  interval: Interval;
  start: number | undefined;
  limit: number;
};

/** GET /api/v1/market/indicators over the bars the chart holds; refreshed as bars close. */
export function useIndicator(choice: IndicatorChoice, range: IndicatorQuery) {
  return useQuery({
    queryKey: ['market', 'indicator', choice.id, range],
    enabled: range.start !== undefined,
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/market/indicators', {
          params: {
            query: {
              exchange: range.exchange,
              symbol: range.symbol,
              interval: range.interval,
              name: choice.name,
              params: choice.params,
              start: range.start,
              limit: range.limit,
            },
          },
          signal,
        }),
      ),
    refetchInterval: 15_000,
    placeholderData: (previous) => previous,
  });
}
