// RSI: buy when RSI(period) falls below `lower`; sell (or short with allow_short) when it
// rises above `upper`; otherwise keep the position.
// Same rule and parameters as backend/engine/strategies/reference.py.
//
// RSI is a recursive (Wilder) average, so a value depends on where its input began. Each
// decision recomputes RSI over exactly the last period + 1 + wilderSettle(period) closes, like the Python strategy: a live instance rebuilt from that many warmup bars then
// decides exactly as a backtest that has run for years.

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
  rsiLast,
  setOut,
  wilderSettle,
} from "@quant-trader/strategy-sdk";

export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";

let lower: f64 = 0.0;
let upper: f64 = 0.0;
let allowShort = false;
let closes: Ring | null = null;
let period: i32 = 0;
let position: f64 = 0.0;

// params: period, lower, upper, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 4) return ERR_PARAM_COUNT;
  const p = param(params, 0);
  const lo = param(params, 1);
  const hi = param(params, 2);
  const short = param(params, 3);
  if (!isIntIn(p, 2, 200) || !isIn(lo, 0.0, 100.0) || !isIn(hi, 0.0, 100.0) || !isIntIn(short, 0, 1)) {
    return ERR_PARAM_VALUE;
  }
  if (!(lo < hi)) return ERR_PARAM_VALUE;
  period = <i32>p;
  lower = lo;
  upper = hi;
  allowShort = short == 1.0;
  closes = new Ring(period + 1 + wilderSettle(period));
  position = 0.0;
  return OK;
}

function decide(window: Ring): f64 {
  const value = rsiLast(window.ptr, window.count, period);
  if (isNaN(value)) return NaN;
  if (value < lower) return 1.0;
  if (value > upper) return allowShort ? -1.0 : 0.0;
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
