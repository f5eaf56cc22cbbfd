// Indicator values over a fixed window held contiguously in memory (see Ring.ptr).

/**
 * The last value TA-Lib's SMA(period) gives over the n values at `ptr`: the same running
 * total, so for period < n it is not the plain sum of the last `period` values but exactly
 * what talib.SMA(window, period)[-1] returns. NaN when n < period.
 */
export function smaLast(ptr: usize, n: i32, period: i32): f64 {
  if (n < period) return NaN;
  let total: f64 = 0.0;
  for (let i = 0; i < period - 1; i++) total += load<f64>(ptr + (<usize>i << 3));
  const drop = n - period; // values added and then dropped before the last window
  for (let i = 0; i < drop; i++) {
    total += load<f64>(ptr + (<usize>(i + period - 1) << 3));
    total -= load<f64>(ptr + (<usize>i << 3));
  }
  total += load<f64>(ptr + (<usize>(n - 1) << 3));
  return total / <f64>period;
}

// How far the seed of a recursive average may still weigh on a value taken as valid:
// the same 1e-3 as backend/engine/indicators.py, so windows have the same lengths.
export const SEED_WEIGHT: f64 = 1e-3;

/** Bars for a recursive average with smoothing factor alpha to forget its seed below SEED_WEIGHT. */
export function decayBars(alpha: f64): i32 {
  if (alpha >= 1.0) return 0;
  return <i32>Math.ceil(Math.log(SEED_WEIGHT) / Math.log(1.0 - alpha));
}

/** For an EMA (alpha = 2 / (period + 1)). */
export function emaSettle(period: i32): i32 {
  return decayBars(2.0 / (<f64>period + 1.0));
}

/** For a Wilder average (alpha = 1 / period): RSI, ATR. */
export function wilderSettle(period: i32): i32 {
  return decayBars(1.0 / <f64>period);
}

// The functions below give, over the n values at `ptr`, the last value the streaming
// indicator of the same name gives after being fed those n values from reset (and so
// what TA-Lib gives on that array), in tight loops over memory: a strategy that decides on
// a fixed window each bar calls one per bar.

// @ts-ignore: decorator
@inline function at(ptr: usize, i: i32): f64 {
  return load<f64>(ptr + (<usize>i << 3));
}

/** Last EMA(period) over the n values from `start`; NaN when fewer than `period`. */
function emaFrom(ptr: usize, start: i32, n: i32, period: i32): f64 {
  if (n - start < period) return NaN;
  let seed: f64 = 0.0;
  for (let i = 0; i < period; i++) seed += at(ptr, start + i);
  let value = seed / <f64>period;
  const k = 2.0 / <f64>(period + 1);
  for (let i = start + period; i < n; i++) value = (at(ptr, i) - value) * k + value;
  return value;
}

export function emaLast(ptr: usize, n: i32, period: i32): f64 {
  return emaFrom(ptr, 0, n, period);
}

/** Last RSI(period) (see Rsi); NaN when n <= period. */
export function rsiLast(ptr: usize, n: i32, period: i32): f64 {
  if (n <= period) return NaN;
  const p = <f64>period;
  let gain: f64 = 0.0;
  let loss: f64 = 0.0;
  let prev = at(ptr, 0);
  for (let i = 1; i <= period; i++) {
    const x = at(ptr, i);
    const change = x - prev;
    prev = x;
    if (change < 0) loss -= change;
    else gain += change;
  }
  loss /= p;
  gain /= p;
  const end = ptr + (<usize>n << 3);
  for (let q = ptr + (<usize>(period + 1) << 3); q < end; q += 8) {
    const x = load<f64>(q);
    const change = x - prev;
    prev = x;
    loss *= p - 1.0;
    gain *= p - 1.0;
    if (change < 0) loss -= change;
    else gain += change;
    loss /= p;
    gain /= p;
  }
  const total = gain + loss;
  return total == 0.0 ? 0.0 : 100.0 * (gain / total);
}

/** Last MACD histogram (see Macd, fast < slow); NaN when n < slow + signal - 1. */
export function macdHistLast(ptr: usize, n: i32, fast: i32, slow: i32, signal: i32): f64 {
  const first = slow - 1; // first bar with both EMAs
  if (n < first + signal) return NaN;
  // Seed both EMAs as TA-Lib does: the fast one over the `fast` values ending at `first`.
  let slowSeed: f64 = 0.0;
  for (let i = 0; i < slow; i++) slowSeed += at(ptr, i);
  let slowEma = slowSeed / <f64>slow;
  let fastSeed: f64 = 0.0;
  for (let i = slow - fast; i < slow; i++) fastSeed += at(ptr, i);
  let fastEma = fastSeed / <f64>fast;
  const kSlow = 2.0 / <f64>(slow + 1);
  const kFast = 2.0 / <f64>(fast + 1);
  const kSignal = 2.0 / <f64>(signal + 1);
  // The signal EMA is seeded by the first `signal` MACD line values.
  let line = fastEma - slowEma;
  let signalSeed = line;
  for (let i = first + 1; i < first + signal; i++) {
    const x = at(ptr, i);
    fastEma = (x - fastEma) * kFast + fastEma;
    slowEma = (x - slowEma) * kSlow + slowEma;
    line = fastEma - slowEma;
    signalSeed += line;
  }
  let signalEma = signalSeed / <f64>signal;
  // The hot loop (most of the window): walk a pointer rather than index, fewer instructions of fuel.
  const end = ptr + (<usize>n << 3);
  for (let q = ptr + (<usize>(first + signal) << 3); q < end; q += 8) {
    const x = load<f64>(q);
    fastEma = (x - fastEma) * kFast + fastEma;
    slowEma = (x - slowEma) * kSlow + slowEma;
    line = fastEma - slowEma;
    signalEma = (line - signalEma) * kSignal + signalEma;
  }
  return line - signalEma;
}

/** Bollinger bands of the last window (see Bollinger), written into a reusable holder. */
export class Bands {
  upper: f64 = NaN;
  middle: f64 = NaN;
  lower: f64 = NaN;
  stddev: f64 = NaN;
}

export function bandsLast(ptr: usize, n: i32, period: i32, k: f64, into: Bands): void {
  const middle = smaLast(ptr, n, period);
  if (isNaN(middle)) {
    into.upper = into.middle = into.lower = into.stddev = NaN;
    return;
  }
  let squares: f64 = 0.0;
  for (let i = n - period; i < n; i++) {
    const d = at(ptr, i) - middle;
    squares += d * d;
  }
  const sd = squares > 0.0 ? Math.sqrt(squares / <f64>period) : 0.0;
  const width = sd * k;
  into.middle = middle;
  into.stddev = sd;
  into.upper = middle + width;
  into.lower = middle - width;
}
