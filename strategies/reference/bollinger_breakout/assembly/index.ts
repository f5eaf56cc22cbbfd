// Bollinger breakout: long on a close above the upper band until a close below the middle
// band; with allow_short also short on a close below the lower band, covered above the
// middle. Same rule and parameters as backend/engine/strategies/reference.py.

import {
  Bands,
  ERR_BAD_ARGS,
  ERR_NOT_INITIALISED,
  ERR_PARAM_COUNT,
  ERR_PARAM_VALUE,
  OK,
  Ring,
  bandsLast,
  barClose,
  isIn,
  isIntIn,
  param,
  setOut,
} from "@quant-trader/strategy-sdk";

export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";

let period: i32 = 0;
let allowShort = false;
let closes: Ring | null = null;
let k: f64 = 1.0;
const bands = new Bands();
let position: f64 = 0.0;

// params: period, k, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 3) return ERR_PARAM_COUNT;
  const p = param(params, 0);
  const width = param(params, 1);
  const short = param(params, 2);
  if (!isIntIn(p, 2, 1000) || !isIn(width, 0.1, 10.0) || !isIntIn(short, 0, 1)) return ERR_PARAM_VALUE;
  period = <i32>p;
  k = width;
  allowShort = short == 1.0;
  closes = new Ring(period);
  position = 0.0;
  return OK;
}

function decide(window: Ring, held: f64): f64 {
  const bb = bands;
  bandsLast(window.ptr, period, period, k, bb);
  const last = window.newest();
  if (held > 0.0) return last < bb.middle ? 0.0 : NaN;
  if (held < 0.0) return last > bb.middle ? 0.0 : NaN;
  if (last > bb.upper) return 1.0;
  if (last < bb.lower && allowShort) return -1.0;
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
    const target = decide(window, position);
    if (!isNaN(target)) position = target;
    setOut(out, i, position);
  }
  return OK;
}
