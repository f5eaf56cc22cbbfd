// Momentum: long when the close rose more than `threshold` over `lookback` bars, out (or
// short with allow_short) when it fell more than that; otherwise keep the position.
// Same rule and parameters as backend/engine/strategies/reference.py.

import {
  ERR_BAD_ARGS,
  ERR_NOT_INITIALISED,
  ERR_PARAM_COUNT,
  ERR_PARAM_VALUE,
  OK,
  Ring,
  barClose,
  isIn,
  isIntIn,
  param,
  setOut,
} from "@quant-trader/strategy-sdk";

export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";

let threshold: f64 = 0.0;
let allowShort = false;
let closes: Ring | null = null; // lookback + 1 closes: the first and the last are compared
let position: f64 = 0.0;

// params: lookback, threshold, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 3) return ERR_PARAM_COUNT;
  const lookback = param(params, 0);
  const t = param(params, 1);
  const short = param(params, 2);
  if (!isIntIn(lookback, 1, 1000) || !isIn(t, 0.0, 1.0) || !isIntIn(short, 0, 1)) return ERR_PARAM_VALUE;
  threshold = t;
  allowShort = short == 1.0;
  closes = new Ring(<i32>lookback + 1);
  position = 0.0;
  return OK;
}

function decide(window: Ring): f64 {
  const first = window.oldest();
  if (first <= 0.0) return NaN;
  const change = window.newest() / first - 1.0;
  if (change > threshold) return 1.0;
  if (change < -threshold) return allowShort ? -1.0 : 0.0;
  return NaN;
}

export function qt_on_bars(bars: i32, n: i32, out: i32): i32 {
  if (closes === null) return ERR_NOT_INITIALISED;
  if (n < 0) return ERR_BAD_ARGS;
  const window = closes!;
  for (let i = 0; i < n; i++) {
    window.push(barClose(bars, i));
    if (!window.full) {
      setOut(out, i, NaN);
      continue;
    }
    const target = decide(window);
    if (!isNaN(target)) position = target;
    setOut(out, i, position);
  }
  return OK;
}
