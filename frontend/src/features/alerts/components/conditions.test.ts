import {
  CONDITIONS,
  buildCondition,
  defaultValues,
  describeCondition,
  sourcesFor,
  valuesFromCondition,
} from '@/features/alerts/components/conditions';

describe('buildCondition', () => {
  it('covers every condition type the engine parses', () => {
    expect(CONDITIONS.map((c) => c.type).sort()).toEqual(
      [
        'bollinger_touch', 'deployment_errored', 'drawdown_breached', 'indicator', 'ma_cross', 'macd_cross',
        'order_filled', 'pct_change', 'price_cross', 'price_range', 'subscription_lapsed', 'volume_spike',
      ].sort(),
    );
  });

  it('turns form strings into the engine JSON with numbers as numbers', () => {
    expect(buildCondition('price_cross', { direction: 'below', level: '64250.5' })).toEqual({
      ok: true, condition: { type: 'price_cross', direction: 'below', level: 64250.5 },
    });
    expect(buildCondition('indicator', { indicator: 'ema', period: '21', op: 'crosses_below', level: '-3' })).toEqual({
      ok: true, condition: { type: 'indicator', indicator: 'ema', period: 21, op: 'crosses_below', level: -3 },
    });
    expect(buildCondition('macd_cross', defaultValues('macd_cross'))).toEqual({
      ok: true, condition: { type: 'macd_cross', direction: 'bullish', fast: 12, slow: 26, signal: 9 },
    });
  });

  it('leaves optional event filters out when empty and upper-cases symbols', () => {
    expect(buildCondition('order_filled', { account: '', symbol: '' })).toEqual({ ok: true, condition: { type: 'order_filled' } });
    expect(buildCondition('order_filled', { account: '4', symbol: 'eth-usdt' })).toEqual({
      ok: true, condition: { type: 'order_filled', account: 4, symbol: 'ETH-USDT' },
    });
    expect(buildCondition('subscription_lapsed', { subscription: 'listing', listing: '' })).toEqual({
      ok: true, condition: { type: 'subscription_lapsed', subscription: 'listing' },
    });
  });

  it('refuses what the engine would refuse, with a message for the form', () => {
    expect(buildCondition('price_cross', { direction: 'above', level: '' })).toEqual({ ok: false, problem: 'Level must be a number.' });
    expect(buildCondition('price_cross', { direction: 'above', level: '-1' })).toEqual({ ok: false, problem: 'Level must be above 0.' });
    expect(buildCondition('price_range', { event: 'enter', low: '10', high: '5' })).toEqual({ ok: false, problem: 'Low must be below High.' });
    expect(buildCondition('pct_change', { direction: 'up', pct: '2', bars: '1.5' })).toEqual({
      ok: false, problem: 'Over bars must be a whole number from 1 to 500.',
    });
    expect(buildCondition('volume_spike', { multiplier: '3', period: '1' })).toEqual({
      ok: false, problem: 'Average of bars must be a whole number from 2 to 500.',
    });
    expect(buildCondition('ma_cross', { ma: 'sma', fast: '200', slow: '50', direction: 'above' })).toEqual({
      ok: false, problem: 'Fast period must be below Slow period.',
    });
    expect(buildCondition('deployment_errored', { deployment: 'abc' })).toEqual({
      ok: false, problem: 'Deployment id must be an id (a whole number).',
    });
  });

  it('round-trips a stored condition into the form for editing', () => {
    const stored = { type: 'bollinger_touch', band: 'lower', period: 30, k: 2.5 };
    const form = valuesFromCondition(stored);
    expect(form).toEqual({ type: 'bollinger_touch', values: { band: 'lower', period: '30', k: '2.5' } });
    expect(buildCondition(form!.type, form!.values)).toEqual({ ok: true, condition: stored });
  });

  it('says where each family is evaluated', () => {
    expect(sourcesFor('price').map((s) => s.value)).toEqual(['trade', 'live', 'closed']);
    expect(sourcesFor('kline').map((s) => s.value)).toEqual(['live', 'closed']);
    expect(sourcesFor('event').map((s) => s.value)).toEqual(['event']);
  });

  it('describes conditions in one line', () => {
    expect(describeCondition({ type: 'price_cross', direction: 'above', level: 100000 })).toBe('Price crosses above 100,000');
    expect(describeCondition({ type: 'indicator', indicator: 'rsi', period: 14, op: 'above', level: 70 })).toBe('RSI(14) is above 70');
    expect(describeCondition({ type: 'indicator', indicator: 'sma', period: 2, op: 'crosses_below', level: 5 })).toBe('SMA(2) crosses below 5');
    expect(describeCondition({ type: 'order_filled', account: 3 })).toBe('Order filled on account #3');
  });
});
