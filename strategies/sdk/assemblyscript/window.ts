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
