import { candleFromMessage, candleFromRow, mergeCandle, prependCandles } from '@/features/markets/api/candles';

const bar = (openTime: number, close = 1) => ({ openTime, open: 1, high: 1, low: 1, close, volume: 1 });

describe('candles', () => {
  it('parses Binance-compatible rows and push messages', () => {
    expect(candleFromRow([60000, '1.5', '2', '1', '1.8', '10', 119999, '15', 3])).toEqual({
      openTime: 60000, open: 1.5, high: 2, low: 1, close: 1.8, volume: 10,
    });
    expect(candleFromRow(['bad'])).toBeNull();
    expect(candleFromMessage({ open_time: 5, open: '1', high: '2', low: '0.5', close: '1.5', volume: '3', closed: false })).toEqual({
      openTime: 5, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3,
    });
  });

  it('updates the forming bar in place and appends a new one', () => {
    const candles = [bar(0), bar(60)];
    expect(mergeCandle(candles, bar(60, 2))).toEqual([bar(0), bar(60, 2)]);
    expect(mergeCandle(candles, bar(120))).toEqual([bar(0), bar(60), bar(120)]);
    expect(mergeCandle(candles, bar(-60))).toBe(candles);
  });

  it('prepends only bars older than those loaded', () => {
    expect(prependCandles([bar(60), bar(120)], [bar(0), bar(60)])).toEqual([bar(0), bar(60), bar(120)]);
  });
});
