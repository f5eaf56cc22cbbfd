// Exact arithmetic on the API's decimal strings (prices, quantities, P&L): a value is a BigInt
// of units and a count of decimal places, so 0.1 x 3 is 0.3, never 0.30000000000000004.

type Exact = { units: bigint; places: number };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

function parse(value: string): Exact | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign === '-' ? -units : units, places: fraction.length };
}

function rescale(value: Exact, places: number): bigint {
  return value.units * 10n ** BigInt(places - value.places);
}

function format({ units, places }: Exact): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

/** True for a plain decimal string (optional sign, no exponent). */
export function isExactDecimal(value: string | null | undefined): value is string {
  return typeof value === 'string' && parse(value) !== null;
}

/** a - b, exactly; null when either is not a plain decimal string. */
export function subtractExact(a: string, b: string): string | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  const places = Math.max(x.places, y.places);
  return format({ units: rescale(x, places) - rescale(y, places), places });
}

/** a x b, exactly; null when either is not a plain decimal string. */
export function multiplyExact(a: string, b: string): string | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  return format({ units: x.units * y.units, places: x.places + y.places });
}

/** -1, 0 or 1 as a is below, equal to or above b; null when either is not a plain decimal string. */
export function compareExact(a: string, b: string): -1 | 0 | 1 | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  const places = Math.max(x.places, y.places);
  const diff = rescale(x, places) - rescale(y, places);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Unrealized P&L of a position: qty x (mark - avg entry), signed like qty (shorts gain as the mark falls). */
export function unrealizedPnl(qty: string, avgEntry: string | null | undefined, mark: string | null | undefined): string | null {
  if (!isExactDecimal(avgEntry) || !isExactDecimal(mark)) return null;
  const move = subtractExact(mark, avgEntry);
  return move === null ? null : multiplyExact(qty, move);
}
