// SMA crossover: long while SMA(fast) of the close is above SMA(slow); flat, or short with
// allow_short, below it. Same rule and parameters as backend/engine/strategies/reference.py.
//
// Like the Python reference strategies, every decision is taken on exactly the last `slow`
// bars (see strategies/reference/README.md), so outputs do not depend on how much history
// the module was fed or how the bars were batched.

import {
  ERR_BAD_ARGS,
  ERR_NOT_INITIALISED,
  ERR_PARAM_COUNT,
  ERR_PARAM_VALUE,
  OK,
  Ring,
  barClose,
  isIntIn,
  param,
  setOut,
  smaLast,
} from "@quant-trader/strategy-sdk";

export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";

let fast: i32 = 0;
let slow: i32 = 0;
let allowShort = false;
let closes: Ring | null = null;
let position: f64 = 0.0;

// params: fast, slow, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 3) return ERR_PARAM_COUNT;
  const f = param(params, 0);
  const s = param(params, 1);
  const short = param(params, 2);
  if (!isIntIn(f, 2, 500) || !isIntIn(s, 2, 1000) || !isIntIn(short, 0, 1) || !(f < s)) return ERR_PARAM_VALUE;
  fast = <i32>f;
  slow = <i32>s;
  allowShort = short == 1.0;
  closes = new Ring(slow);
  position = 0.0;
  return OK;
}

function decide(window: Ring): f64 {
  const f = smaLast(window.ptr, slow, fast);
  const s = smaLast(window.ptr, slow, slow);
  if (f > s) return 1.0;
  if (f < s && allowShort) return -1.0;
  return 0.0;
}

export function qt_on_bars(bars: i32, n: i32, out: i32): i32 {
  if (closes === null) return ERR_NOT_INITIALISED;
  if (n < 0) return ERR_BAD_ARGS;
  const window = closes!;
  for (let i = 0; i < n; i++) {
    window.push(barClose(bars, i));
    if (!window.full) {
      setOut(out, i, NaN); // warming up
      continue;
    }
    position = decide(window);
    setOut(out, i, position);
  }
  return OK;
}
