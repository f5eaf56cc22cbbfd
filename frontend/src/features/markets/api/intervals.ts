import type { paths } from '@/shared/api/schema';

/** Kline intervals, typed from the OpenAPI schema so a backend change breaks the build, not the page. */
export type Interval = NonNullable<paths['/api/v1/market/klines']['get']['parameters']['query']>['interval'];

export const INTERVALS: readonly Interval[] = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'];

export function parseInterval(value: string | null, fallback: Interval = '1m'): Interval {
  return INTERVALS.find((interval) => interval === value) ?? fallback;
}
