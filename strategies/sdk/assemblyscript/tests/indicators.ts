// Test-only module (build/test_indicators.wasm): runs each streaming indicator over an
// input buffer so tests/strategies_wasm can compare it with TA-Lib value by value.
// Buffers come from qt_alloc; every output array has n f64, NaN where undefined.

import {
  Atr,
  Bands,
  Bollinger,
  Ema,
  Macd,
  Ring,
  Rsi,
  Sma,
  Stoch,
  bandsLast,
  emaLast,
  macdHistLast,
  rsiLast,
  smaLast,
} from "../index";

export { qt_abi_version, qt_alloc } from "../index";

// @ts-ignore: decorator
@inline function at(ptr: i32, i: i32): f64 {
  return load<f64>(<usize>ptr + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function put(ptr: i32, i: i32, v: f64): void {
  store<f64>(<usize>ptr + (<usize>i << 3), v);
}

export function sma(input: i32, n: i32, period: i32, out: i32): void {
  const ind = new Sma(period);
  for (let i = 0; i < n; i++) put(out, i, ind.update(at(input, i)));
}

export function ema(input: i32, n: i32, period: i32, out: i32): void {
  const ind = new Ema(period);
  for (let i = 0; i < n; i++) put(out, i, ind.update(at(input, i)));
}

export function rsi(input: i32, n: i32, period: i32, out: i32): void {
  const ind = new Rsi(period);
  for (let i = 0; i < n; i++) put(out, i, ind.update(at(input, i)));
}

export function macd(input: i32, n: i32, fast: i32, slow: i32, signal: i32, line: i32, sig: i32, hist: i32): void {
  const ind = new Macd(fast, slow, signal);
  for (let i = 0; i < n; i++) {
    const h = ind.update(at(input, i));
    const defined = !isNaN(h);
    put(line, i, defined ? ind.line : NaN);
    put(sig, i, defined ? ind.signal : NaN);
    put(hist, i, h);
  }
}

export function bbands(input: i32, n: i32, period: i32, k: f64, upper: i32, middle: i32, lower: i32): void {
  const ind = new Bollinger(period, k);
  for (let i = 0; i < n; i++) {
    const m = ind.update(at(input, i));
    const defined = !isNaN(m);
    put(upper, i, defined ? ind.upper : NaN);
    put(middle, i, m);
    put(lower, i, defined ? ind.lower : NaN);
  }
}

export function atr(high: i32, low: i32, close: i32, n: i32, period: i32, out: i32): void {
  const ind = new Atr(period);
  for (let i = 0; i < n; i++) put(out, i, ind.update(at(high, i), at(low, i), at(close, i)));
}

export function stoch(high: i32, low: i32, close: i32, n: i32, kp: i32, ks: i32, dp: i32, k: i32, d: i32): void {
  const ind = new Stoch(kp, ks, dp);
  for (let i = 0; i < n; i++) {
    const dv = ind.update(at(high, i), at(low, i), at(close, i));
    put(k, i, isNaN(dv) ? NaN : ind.k);
    put(d, i, dv);
  }
}

// The fixed-window functions: the last value over the n inputs.

export function sma_last(input: i32, n: i32, period: i32): f64 {
  return smaLast(<usize>input, n, period);
}

export function ema_last(input: i32, n: i32, period: i32): f64 {
  return emaLast(<usize>input, n, period);
}

export function rsi_last(input: i32, n: i32, period: i32): f64 {
  return rsiLast(<usize>input, n, period);
}

export function macd_hist_last(input: i32, n: i32, fast: i32, slow: i32, signal: i32): f64 {
  return macdHistLast(<usize>input, n, fast, slow, signal);
}

const bands = new Bands();

/** Writes [upper, middle, lower] to out. */
export function bands_last(input: i32, n: i32, period: i32, k: f64, out: i32): void {
  bandsLast(<usize>input, n, period, k, bands);
  put(out, 0, bands.upper);
  put(out, 1, bands.middle);
  put(out, 2, bands.lower);
}

/** After each push: the oldest and newest values the ring holds, read through its contiguous view. */
export function ring_view(input: i32, n: i32, capacity: i32, oldest: i32, newest: i32): void {
  const ring = new Ring(capacity);
  for (let i = 0; i < n; i++) {
    ring.push(at(input, i));
    put(oldest, i, ring.oldest());
    put(newest, i, ring.newest());
  }
}
