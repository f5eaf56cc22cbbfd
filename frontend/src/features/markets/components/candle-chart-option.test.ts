import type { Candle } from '@/features/markets/api/candles';
import { RENDER_MARGIN, adjustZoom, buildCandleOption, formatBarTime, onlyLastBarChanged, renderBase } from '@/features/markets/components/candle-chart-option';

const bar = (openTime: number, close = 100): Candle => ({ openTime, open: 100, high: 101, low: 99, close, volume: 1 });
const colors = { text: '#fff', muted: '#888', border: '#333', accent: '#00f', up: '#0f0', down: '#f00' };

describe('candle chart option', () => {
  it('maps candles to ECharts [open, close, low, high] and colours volume by direction', () => {
    const option = buildCandleOption([bar(0, 102), bar(60_000, 98)], [], '1m', { startValue: 0, endValue: 1 }, colors) as {
      series: { data: unknown[] }[];
    };
    expect(option.series[0]!.data[0]).toEqual([100, 102, 99, 101]);
    // Volume: an "up" series and a "down" series, '-' where the bar belongs to the other one.
    expect(option.series[1]!.data).toEqual([1, '-']);
    expect(option.series[2]!.data).toEqual(['-', 1]);
  });

  it('formats bar times in UTC by interval', () => {
    expect(formatBarTime(Date.UTC(2026, 0, 2, 3, 4, 5), '1s')).toBe('01-02 03:04:05');
    expect(formatBarTime(Date.UTC(2026, 0, 2, 3, 4, 5), '1h')).toBe('01-02 03:04');
    expect(formatBarTime(Date.UTC(2026, 0, 2), '1d')).toBe('2026-01-02');
  });
});

describe('adjustZoom', () => {
  const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => bar((from + i) * 60_000));

  it('starts on the latest bars', () => {
    expect(adjustZoom({ startValue: 0, endValue: 0 }, [], page(0, 500))).toEqual({ startValue: 379, endValue: 499 });
  });

  it('shifts the window by the number of older bars prepended', () => {
    const current = page(100, 50);
    const withOlder = [...page(0, 100), ...current];
    expect(adjustZoom({ startValue: 0, endValue: 20 }, current, withOlder)).toEqual({ startValue: 100, endValue: 120 });
  });

  it('follows new bars only when the view is at the right edge', () => {
    const current = page(0, 10);
    const next = page(0, 11);
    expect(adjustZoom({ startValue: 5, endValue: 9 }, current, next)).toEqual({ startValue: 6, endValue: 10 });
    expect(adjustZoom({ startValue: 2, endValue: 6 }, current, next)).toEqual({ startValue: 2, endValue: 6 });
  });
});

describe('onlyLastBarChanged', () => {
  it('spots a tick of the forming bar, and nothing else', () => {
    const first = bar(0);
    const previous = [first, bar(60_000)];
    expect(onlyLastBarChanged(previous, [first, bar(60_000, 105)])).toBe(true);
    expect(onlyLastBarChanged(previous, [first, bar(60_000), bar(120_000)])).toBe(false);
    expect(onlyLastBarChanged(previous, [bar(0), bar(60_000)])).toBe(false); // history replaced
    expect(onlyLastBarChanged([], [first])).toBe(false);
  });
});

describe('renderBase', () => {
  it('keeps a margin of bars left of the view and never goes below the first bar', () => {
    expect(renderBase(9_880)).toBe(9_880 - RENDER_MARGIN);
    expect(renderBase(100)).toBe(0);
  });
});
