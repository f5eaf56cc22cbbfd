// The condition types backend/engine/alerts/conditions.py parses, described as data: the rule
// builder renders each type's fields from this table, and `buildCondition` turns the form's
// strings into the exact JSON the engine accepts (with the engine's own range checks, so a
// mistake is shown before the request goes out).

export type Family = 'price' | 'kline' | 'event';
export type Source = 'trade' | 'live' | 'closed' | 'event';

type Option = { value: string; label: string };

export type FieldSpec =
  | { key: string; label: string; kind: 'choice'; options: Option[]; default: string }
  | { key: string; label: string; kind: 'optional-choice'; options: Option[]; anyLabel: string }
  | { key: string; label: string; kind: 'number'; positive?: boolean; default?: string; hint?: string }
  | { key: string; label: string; kind: 'int'; min: number; max: number; default?: string }
  | { key: string; label: string; kind: 'optional-int'; hint: string }
  | { key: string; label: string; kind: 'optional-text'; hint: string }
  | { key: string; label: string; kind: 'account'; hint: string };

export type ConditionSpec = {
  type: string;
  label: string;
  family: Family;
  fields: FieldSpec[];
  /** Cross-field check (the engine's too); returns the problem or null. */
  check?: (values: Record<string, number | string | null>) => string | null;
};

const MAX_PERIOD = 500;

const above = (a: string, b: string) => (v: Record<string, number | string | null>) =>
  Number(v[a]) < Number(v[b]) ? null : `${labelOf(a)} must be below ${labelOf(b)}.`;

function labelOf(key: string): string {
  return { low: 'Low', high: 'High', fast: 'Fast period', slow: 'Slow period' }[key] ?? key;
}

export const CONDITIONS: ConditionSpec[] = [
  {
    type: 'price_cross',
    label: 'Price crosses a level',
    family: 'price',
    fields: [
      { key: 'direction', label: 'Direction', kind: 'choice', default: 'above',
        options: [{ value: 'above', label: 'crosses above' }, { value: 'below', label: 'crosses below' }] },
      { key: 'level', label: 'Level', kind: 'number', positive: true },
    ],
  },
  {
    type: 'price_range',
    label: 'Price enters / leaves a range',
    family: 'price',
    fields: [
      { key: 'event', label: 'When price', kind: 'choice', default: 'enter',
        options: [{ value: 'enter', label: 'enters the range' }, { value: 'leave', label: 'leaves the range' }] },
      { key: 'low', label: 'Low', kind: 'number', positive: true },
      { key: 'high', label: 'High', kind: 'number', positive: true },
    ],
    check: above('low', 'high'),
  },
  {
    type: 'pct_change',
    label: 'Percent change over N bars',
    family: 'kline',
    fields: [
      { key: 'direction', label: 'Direction', kind: 'choice', default: 'either',
        options: [{ value: 'up', label: 'up' }, { value: 'down', label: 'down' }, { value: 'either', label: 'either way' }] },
      { key: 'pct', label: 'Change (%)', kind: 'number', positive: true },
      { key: 'bars', label: 'Over bars', kind: 'int', min: 1, max: MAX_PERIOD, default: '1' },
    ],
  },
  {
    type: 'volume_spike',
    label: 'Volume spike',
    family: 'kline',
    fields: [
      { key: 'multiplier', label: 'Volume ≥ × average', kind: 'number', positive: true, default: '3' },
      { key: 'period', label: 'Average of bars', kind: 'int', min: 2, max: MAX_PERIOD, default: '20' },
    ],
  },
  {
    type: 'indicator',
    label: 'Indicator (RSI / SMA / EMA) vs a level',
    family: 'kline',
    fields: [
      { key: 'indicator', label: 'Indicator', kind: 'choice', default: 'rsi',
        options: [{ value: 'rsi', label: 'RSI' }, { value: 'sma', label: 'SMA' }, { value: 'ema', label: 'EMA' }] },
      { key: 'period', label: 'Period', kind: 'int', min: 2, max: MAX_PERIOD, default: '14' },
      { key: 'op', label: 'Condition', kind: 'choice', default: 'above',
        options: [
          { value: 'above', label: 'is above' },
          { value: 'below', label: 'is below' },
          { value: 'crosses_above', label: 'crosses above' },
          { value: 'crosses_below', label: 'crosses below' },
        ] },
      { key: 'level', label: 'Level', kind: 'number', default: '70' },
    ],
  },
  {
    type: 'macd_cross',
    label: 'MACD crosses its signal line',
    family: 'kline',
    fields: [
      { key: 'direction', label: 'Cross', kind: 'choice', default: 'bullish',
        options: [{ value: 'bullish', label: 'bullish (MACD above signal)' }, { value: 'bearish', label: 'bearish (MACD below signal)' }] },
      { key: 'fast', label: 'Fast period', kind: 'int', min: 2, max: MAX_PERIOD, default: '12' },
      { key: 'slow', label: 'Slow period', kind: 'int', min: 2, max: MAX_PERIOD, default: '26' },
      { key: 'signal', label: 'Signal period', kind: 'int', min: 1, max: MAX_PERIOD, default: '9' },
    ],
    check: above('fast', 'slow'),
  },
  {
    type: 'bollinger_touch',
    label: 'Price touches a Bollinger band',
    family: 'kline',
    fields: [
      { key: 'band', label: 'Band', kind: 'choice', default: 'upper',
        options: [{ value: 'upper', label: 'upper band (high reaches it)' }, { value: 'lower', label: 'lower band (low reaches it)' }] },
      { key: 'period', label: 'Period', kind: 'int', min: 2, max: MAX_PERIOD, default: '20' },
      { key: 'k', label: 'Width (k × std dev)', kind: 'number', positive: true, default: '2' },
    ],
  },
  {
    type: 'ma_cross',
    label: 'Moving averages cross',
    family: 'kline',
    fields: [
      { key: 'ma', label: 'Average', kind: 'choice', default: 'sma',
        options: [{ value: 'sma', label: 'SMA' }, { value: 'ema', label: 'EMA' }] },
      { key: 'fast', label: 'Fast period', kind: 'int', min: 1, max: MAX_PERIOD, default: '50' },
      { key: 'slow', label: 'Slow period', kind: 'int', min: 2, max: MAX_PERIOD, default: '200' },
      { key: 'direction', label: 'Fast crosses', kind: 'choice', default: 'above',
        options: [{ value: 'above', label: 'above slow (golden cross)' }, { value: 'below', label: 'below slow (death cross)' }] },
    ],
    check: above('fast', 'slow'),
  },
  {
    type: 'order_filled',
    label: 'Order filled',
    family: 'event',
    fields: [
      { key: 'account', label: 'Paper account', kind: 'account', hint: 'Any account' },
      { key: 'symbol', label: 'Symbol', kind: 'optional-text', hint: 'any symbol, e.g. BTC-USDT' },
    ],
  },
  {
    type: 'deployment_errored',
    label: 'Deployment errored',
    family: 'event',
    fields: [{ key: 'deployment', label: 'Deployment id', kind: 'optional-int', hint: 'any deployment' }],
  },
  {
    type: 'drawdown_breached',
    label: 'Drawdown breaker tripped',
    family: 'event',
    fields: [{ key: 'account', label: 'Paper account', kind: 'account', hint: 'Any account' }],
  },
  {
    type: 'subscription_lapsed',
    label: 'Subscription lapsed',
    family: 'event',
    fields: [
      { key: 'subscription', label: 'Subscription', kind: 'optional-choice', anyLabel: 'Any subscription',
        options: [{ value: 'plan', label: 'Plan' }, { value: 'listing', label: 'Marketplace listing' }] },
      { key: 'listing', label: 'Listing id', kind: 'optional-int', hint: 'any listing' },
    ],
  },
];

export function conditionSpec(type: string): ConditionSpec {
  const spec = CONDITIONS.find((c) => c.type === type);
  if (!spec) throw new Error(`unknown condition type ${type}`);
  return spec;
}

/** The form's starting strings for a condition type (its defaults). */
export function defaultValues(type: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of conditionSpec(type).fields) {
    out[field.key] = 'default' in field && field.default !== undefined ? field.default : '';
  }
  return out;
}

/** Where a family of conditions may be evaluated (engine: price on trades or klines; kline
 * conditions on klines only; events on events). */
export function sourcesFor(family: Family): { value: Source; label: string }[] {
  if (family === 'event') return [{ value: 'event', label: 'Platform events' }];
  const klines: { value: Source; label: string }[] = [
    { value: 'live', label: 'Live candle (as it forms)' },
    { value: 'closed', label: 'Closed candles only' },
  ];
  return family === 'price' ? [{ value: 'trade', label: 'Every trade' }, ...klines] : klines;
}

export type BuiltCondition = { ok: true; condition: Record<string, unknown> } | { ok: false; problem: string };

/** Form strings -> the condition JSON, or the first problem (worded for the form). */
export function buildCondition(type: string, values: Record<string, string>): BuiltCondition {
  const spec = conditionSpec(type);
  const condition: Record<string, unknown> = { type };
  const parsed: Record<string, number | string | null> = {};
  for (const field of spec.fields) {
    const raw = (values[field.key] ?? '').trim();
    switch (field.kind) {
      case 'choice': {
        const value = raw || field.default;
        if (!field.options.some((o) => o.value === value)) return { ok: false, problem: `Choose a ${field.label.toLowerCase()}.` };
        condition[field.key] = parsed[field.key] = value;
        break;
      }
      case 'optional-choice':
        if (raw) {
          if (!field.options.some((o) => o.value === raw)) return { ok: false, problem: `Choose a ${field.label.toLowerCase()}.` };
          condition[field.key] = parsed[field.key] = raw;
        }
        break;
      case 'number': {
        const value = Number(raw);
        if (raw === '' || !Number.isFinite(value)) return { ok: false, problem: `${field.label} must be a number.` };
        if (field.positive && value <= 0) return { ok: false, problem: `${field.label} must be above 0.` };
        condition[field.key] = parsed[field.key] = value;
        break;
      }
      case 'int': {
        const value = Number(raw);
        if (raw === '' || !Number.isInteger(value) || value < field.min || value > field.max) {
          return { ok: false, problem: `${field.label} must be a whole number from ${field.min} to ${field.max}.` };
        }
        condition[field.key] = parsed[field.key] = value;
        break;
      }
      case 'optional-int':
      case 'account': {
        if (raw === '') break;
        const value = Number(raw);
        if (!Number.isInteger(value) || value < 1) return { ok: false, problem: `${field.label} must be an id (a whole number).` };
        condition[field.key] = parsed[field.key] = value;
        break;
      }
      case 'optional-text':
        if (raw) condition[field.key] = parsed[field.key] = raw.toUpperCase();
        break;
    }
  }
  const problem = spec.check?.(parsed) ?? null;
  return problem ? { ok: false, problem } : { ok: true, condition };
}

/** A stored condition back into form strings (for editing). */
export function valuesFromCondition(condition: unknown): { type: string; values: Record<string, string> } | null {
  if (!condition || typeof condition !== 'object') return null;
  const c = condition as Record<string, unknown>;
  const spec = CONDITIONS.find((s) => s.type === c.type);
  if (!spec) return null;
  const values = defaultValues(spec.type);
  for (const field of spec.fields) {
    const v = c[field.key];
    if (v !== undefined && v !== null) values[field.key] = String(v);
  }
  return { type: spec.type, values };
}

/** One line for lists: "Price crosses above 100,000", "RSI(14) is above 70". */
export function describeCondition(condition: unknown): string {
  if (!condition || typeof condition !== 'object') return 'Unknown condition';
  const c = condition as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 8 }) : String(v));
  switch (c.type) {
    case 'price_cross':
      return `Price crosses ${c.direction} ${n(c.level)}`;
    case 'price_range':
      return `Price ${c.event === 'enter' ? 'enters' : 'leaves'} ${n(c.low)} – ${n(c.high)}`;
    case 'pct_change':
      return `Change ${c.direction === 'either' ? '±' : c.direction === 'up' ? '+' : '−'}${n(c.pct)}% over ${n(c.bars)} bar${c.bars === 1 ? '' : 's'}`;
    case 'volume_spike':
      return `Volume ≥ ${n(c.multiplier)}× the ${n(c.period ?? 20)}-bar average`;
    case 'indicator': {
      const ops: Record<string, string> = { above: 'is above', below: 'is below', crosses_above: 'crosses above', crosses_below: 'crosses below' };
      return `${String(c.indicator).toUpperCase()}(${n(c.period ?? 14)}) ${ops[String(c.op)] ?? String(c.op)} ${n(c.level)}`;
    }
    case 'macd_cross':
      return `MACD(${n(c.fast ?? 12)},${n(c.slow ?? 26)},${n(c.signal ?? 9)}) ${c.direction} cross`;
    case 'bollinger_touch':
      return `Touches the ${c.band} Bollinger band (${n(c.period ?? 20)}, ${n(c.k ?? 2)})`;
    case 'ma_cross':
      return `${String(c.ma ?? 'sma').toUpperCase()}(${n(c.fast)}) crosses ${c.direction} ${String(c.ma ?? 'sma').toUpperCase()}(${n(c.slow)})`;
    case 'order_filled':
      return `Order filled${c.account ? ` on account #${n(c.account)}` : ''}${c.symbol ? ` (${String(c.symbol)})` : ''}`;
    case 'deployment_errored':
      return `Deployment${c.deployment ? ` #${n(c.deployment)}` : ''} errored`;
    case 'drawdown_breached':
      return `Drawdown breaker tripped${c.account ? ` on account #${n(c.account)}` : ''}`;
    case 'subscription_lapsed':
      return `${c.subscription === 'listing' ? 'Listing subscription' : c.subscription === 'plan' ? 'Plan' : 'Subscription'}${c.listing ? ` #${n(c.listing)}` : ''} lapsed`;
    default:
      return String(c.type ?? 'Unknown condition');
  }
}
