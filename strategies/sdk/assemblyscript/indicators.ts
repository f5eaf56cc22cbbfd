// Streaming indicators, one bar at a time, equal to TA-Lib's values on the same input.
//
// Each class repeats TA-Lib's definition and, where it can, its arithmetic in TA-Lib's order
// (running sums added and subtracted like TA_INT_SMA, EMAs seeded by the sequential sum of
// their first `period` inputs, Wilder averages as (prev * (n - 1) + x) / n). SMA, EMA and
// the MACD line are then bit-for-bit equal to the TA-Lib build the backend uses; RSI, ATR,
// the MACD signal, Stochastic and Bollinger differ in the last bits (about 1e-13 relative),
// because that build contracts multiply-adds into FMA instructions, which WebAssembly f64
// arithmetic (IEEE-754, no fusion) does not do. Each update() returns the newest value, or
// NaN while the indicator is inside TA-Lib's lookback.
//
// A value depends on where the stream began (recursive averages never forget their seed
// exactly). A strategy whose outputs must not depend on how much history it was given
// recomputes over a fixed window each bar instead: window.ts has the same indicators as
// functions over a Ring's contiguous window, which the reference strategies use (see
// strategies/reference/README.md).

import { Ring } from "./ring";

/** Simple moving average: TA_SMA's running total (add the newest, divide, drop the oldest). */
export class Sma {
  readonly period: i32;
  private window: Ring;
  private total: f64 = 0.0;
  value: f64 = NaN;

  constructor(period: i32) {
    this.period = period;
    this.window = new Ring(period);
  }

  reset(): void {
    this.window.reset();
    this.total = 0.0;
    this.value = NaN;
  }

  update(x: f64): f64 {
    this.total += x;
    this.window.push(x);
    if (!this.window.full) return NaN;
    this.value = this.total / <f64>this.period;
    this.total -= this.window.oldest();
    return this.value;
  }
}

/** Exponential moving average, k = 2 / (period + 1), seeded by the SMA of the first `period` inputs. */
export class Ema {
  readonly period: i32;
  readonly k: f64;
  private seen: i32 = 0;
  private seed: f64 = 0.0;
  value: f64 = NaN;

  constructor(period: i32) {
    this.period = period;
    this.k = 2.0 / <f64>(period + 1);
  }

  reset(): void {
    this.seen = 0;
    this.seed = 0.0;
    this.value = NaN;
  }

  update(x: f64): f64 {
    if (this.seen < this.period) {
      this.seed += x;
      this.seen++;
      if (this.seen < this.period) return NaN;
      this.value = this.seed / <f64>this.period;
      return this.value;
    }
    this.value = (x - this.value) * this.k + this.value;
    return this.value;
  }
}

/** Wilder's RSI, 0..100: average gain and loss seeded by simple averages over the first `period` changes. */
export class Rsi {
  readonly period: i32;
  private seen: i32 = 0;
  private prev: f64 = 0.0;
  private gain: f64 = 0.0;
  private loss: f64 = 0.0;
  value: f64 = NaN;

  constructor(period: i32) {
    this.period = period;
  }

  reset(): void {
    this.seen = 0;
    this.prev = 0.0;
    this.gain = 0.0;
    this.loss = 0.0;
    this.value = NaN;
  }

  update(x: f64): f64 {
    const n = <f64>this.period;
    const first = this.seen == 0;
    const change = x - this.prev;
    this.prev = x;
    if (first) {
      this.seen = 1;
      return NaN;
    }
    const seeding = this.seen <= this.period;
    if (!seeding) {
      this.loss *= n - 1.0;
      this.gain *= n - 1.0;
    }
    if (change < 0) this.loss -= change;
    else this.gain += change;
    if (seeding) {
      this.seen++;
      if (this.seen <= this.period) return NaN;
    }
    this.loss /= n;
    this.gain /= n;
    const total = this.gain + this.loss;
    // TA-Lib reports 0 (not 50) when prices have not moved at all.
    this.value = total == 0.0 ? 0.0 : 100.0 * (this.gain / total);
    return this.value;
  }
}

/**
 * MACD line EMA(fast) - EMA(slow), its signal EMA and the histogram line - signal.
 * As in TA-Lib, the fast EMA starts (slow - fast) bars late so both EMAs are first
 * defined on the same bar, and the signal EMA is seeded from the first `signal` line values.
 */
export class Macd {
  readonly fast: i32;
  readonly slow: i32;
  private fastEma: Ema;
  private slowEma: Ema;
  private signalEma: Ema;
  private seen: i32 = 0;
  line: f64 = NaN;
  signal: f64 = NaN;
  hist: f64 = NaN;

  constructor(fast: i32, slow: i32, signal: i32) {
    if (slow < fast) {
      const t = slow;
      slow = fast;
      fast = t;
    }
    this.fast = fast;
    this.slow = slow;
    this.fastEma = new Ema(fast);
    this.slowEma = new Ema(slow);
    this.signalEma = new Ema(signal);
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.seen = 0;
    this.line = NaN;
    this.signal = NaN;
    this.hist = NaN;
  }

  /** Returns the histogram (NaN until the signal line is defined). */
  update(x: f64): f64 {
    const lag = this.slow - this.fast;
    if (this.seen >= lag) this.fastEma.update(x);
    else this.seen++;
    const slow = this.slowEma.update(x);
    if (isNaN(slow)) return NaN;
    const line = this.fastEma.value - slow;
    const signal = this.signalEma.update(line);
    if (isNaN(signal)) return NaN;
    this.line = line;
    this.signal = signal;
    this.hist = line - signal;
    return this.hist;
  }
}

/**
 * Bollinger bands: SMA(period) ± k population standard deviations. The middle band is
 * TA-Lib's running SMA; the deviation is taken in two passes over the window,
 * sqrt(sum((x - middle)^2) / period), which agrees with TA-Lib to ~1e-13 where the
 * one-pass sqrt(E[x^2] - mean^2) would lose up to 1e-7 to cancellation on prices.
 */
export class Bollinger {
  readonly period: i32;
  readonly k: f64;
  private window: Ring;
  private total: f64 = 0.0;
  upper: f64 = NaN;
  middle: f64 = NaN;
  lower: f64 = NaN;
  stddev: f64 = NaN;

  constructor(period: i32, k: f64) {
    this.period = period;
    this.k = k;
    this.window = new Ring(period);
  }

  reset(): void {
    this.window.reset();
    this.total = 0.0;
    this.upper = NaN;
    this.middle = NaN;
    this.lower = NaN;
    this.stddev = NaN;
  }

  /** Returns the middle band (NaN until `period` values were seen). */
  update(x: f64): f64 {
    const n = <f64>this.period;
    this.total += x;
    this.window.push(x);
    if (!this.window.full) return NaN;
    const middle = this.total / n;
    this.total -= this.window.oldest();
    let squares: f64 = 0.0;
    const values = this.window.ptr;
    for (let i = 0; i < this.period; i++) {
      const d = load<f64>(values + (<usize>i << 3)) - middle;
      squares += d * d;
    }
    const sd = squares > 0.0 ? Math.sqrt(squares / n) : 0.0;
    const width = sd * this.k;
    this.middle = middle;
    this.stddev = sd;
    this.upper = middle + width;
    this.lower = middle - width;
    return middle;
  }
}

/** True range of a bar given the previous close (TA_TRANGE). */
// @ts-ignore: decorator
@inline export function trueRange(high: f64, low: f64, prevClose: f64): f64 {
  let greatest = high - low;
  const up = Math.abs(prevClose - high);
  if (up > greatest) greatest = up;
  const down = Math.abs(low - prevClose);
  if (down > greatest) greatest = down;
  return greatest;
}

/** Average true range: Wilder average of the true range, seeded by the simple average of the first `period`. */
export class Atr {
  readonly period: i32;
  private seen: i32 = 0;
  private prevClose: f64 = 0.0;
  private seed: f64 = 0.0;
  value: f64 = NaN;

  constructor(period: i32) {
    this.period = period;
  }

  reset(): void {
    this.seen = 0;
    this.prevClose = 0.0;
    this.seed = 0.0;
    this.value = NaN;
  }

  update(high: f64, low: f64, close: f64): f64 {
    const first = this.seen == 0;
    const tr = trueRange(high, low, this.prevClose);
    this.prevClose = close;
    if (first) {
      this.seen = 1;
      return NaN; // no previous close yet, so no true range
    }
    const n = <f64>this.period;
    if (this.period <= 1) return (this.value = tr); // TA_ATR(1) is the true range itself
    if (this.seen <= this.period) {
      this.seed += tr;
      this.seen++;
      if (this.seen <= this.period) return NaN;
      return (this.value = this.seed / n);
    }
    let atr = this.value * (n - 1.0);
    atr += tr;
    this.value = atr / n;
    return this.value;
  }
}

/**
 * Slow stochastic: fast %K = 100 (close - lowest low) / (highest high - lowest low) over
 * kPeriod bars (0 when the range is empty), %K = SMA(fast %K, kSmooth), %D = SMA(%K, dPeriod).
 */
export class Stoch {
  readonly kPeriod: i32;
  private highs: Ring;
  private lows: Ring;
  private kSma: Sma;
  private dSma: Sma;
  k: f64 = NaN;
  d: f64 = NaN;

  constructor(kPeriod: i32, kSmooth: i32, dPeriod: i32) {
    this.kPeriod = kPeriod;
    this.highs = new Ring(kPeriod);
    this.lows = new Ring(kPeriod);
    this.kSma = new Sma(kSmooth);
    this.dSma = new Sma(dPeriod);
  }

  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.kSma.reset();
    this.dSma.reset();
    this.k = NaN;
    this.d = NaN;
  }

  /** Returns %D (NaN until it is defined; %K may be defined earlier, in `k`). */
  update(high: f64, low: f64, close: f64): f64 {
    this.highs.push(high);
    this.lows.push(low);
    if (!this.highs.full) return NaN;
    let highest = this.highs.get(0);
    let lowest = this.lows.get(0);
    for (let i = 1; i < this.kPeriod; i++) {
      const h = this.highs.get(i);
      const l = this.lows.get(i);
      if (h > highest) highest = h;
      if (l < lowest) lowest = l;
    }
    const diff = (highest - lowest) / 100.0;
    const fastK = diff != 0.0 ? (close - lowest) / diff : 0.0;
    const k = this.kSma.update(fastK);
    if (isNaN(k)) return NaN;
    this.k = k;
    const d = this.dSma.update(k);
    if (isNaN(d)) return NaN;
    this.d = d;
    return d;
  }
}
