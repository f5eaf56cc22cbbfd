// MACD: long while the MACD line is above its signal line (histogram > 0); flat, or short
// with allow_short, below it. Same rule and parameters as backend/engine/strategies/reference.py.
//
// The EMAs are recursive, so each decision recomputes MACD over exactly the last
// slow + signal - 1 + emaSettle(slow) + emaSettle(signal) closes, like
// the Python strategy (outputs then depend only on that window, not on how much history
// the instance has seen).

import {
  ERR_BAD_ARGS,
  ERR_NOT_INITIALISED,
  ERR_PARAM_COUNT,
  ERR_PARAM_VALUE,
  OK,
  Ring,
  barClose,
  emaSettle,
  isIntIn,
  macdHistLast,
  param,
  setOut,
} from "@quant-trader/strategy-sdk";

export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";

let allowShort = false;
let closes: Ring | null = null;
let fast: i32 = 0;
let slow: i32 = 0;
let signal: i32 = 0;
let position: f64 = 0.0;

// params: fast, slow, signal, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 4) return ERR_PARAM_COUNT;
  const f = param(params, 0);
  const s = param(params, 1);
  const g = param(params, 2);
  const short = param(params, 3);
  if (!isIntIn(f, 2, 200) || !isIntIn(s, 3, 400) || !isIntIn(g, 1, 200) || !isIntIn(short, 0, 1)) {
    return ERR_PARAM_VALUE;
  }
  if (!(f < s)) return ERR_PARAM_VALUE;
  fast = <i32>f;
  slow = <i32>s;
  signal = <i32>g;
  allowShort = short == 1.0;
  closes = new Ring(slow + signal - 1 + emaSettle(slow) + emaSettle(signal));
  position = 0.0;
  return OK;
}

function decide(window: Ring): f64 {
  const hist = macdHistLast(window.ptr, window.count, fast, slow, signal);
  if (isNaN(hist)) return NaN;
  if (hist > 0.0) return 1.0;
  if (hist < 0.0 && allowShort) return -1.0;
  return 0.0;
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
