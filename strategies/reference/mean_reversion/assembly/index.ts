// Mean reversion: z-score of the close against the mean and standard deviation of the last
// `lookback` closes. Buy at z <= -entry_z, sell back once z >= -exit_z; with allow_short
// the mirror image (short at z >= entry_z, cover at z <= exit_z).
// Same rule and parameters as backend/engine/strategies/reference.py.

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

let lookback: i32 = 0;
let entryZ: f64 = 0.0;
let exitZ: f64 = 0.0;
let allowShort = false;
let closes: Ring | null = null;
const bands = new Bands();
let position: f64 = 0.0;

// params: lookback, entry_z, exit_z, allow_short
export function qt_init(params: i32, n: i32): i32 {
  if (n != 4) return ERR_PARAM_COUNT;
  const l = param(params, 0);
  const entry = param(params, 1);
  const exit = param(params, 2);
  const short = param(params, 3);
  if (!isIntIn(l, 2, 1000) || !isIn(entry, 0.1, 10.0) || !isIn(exit, 0.0, 10.0) || !isIntIn(short, 0, 1)) {
    return ERR_PARAM_VALUE;
  }
  if (!(exit < entry)) return ERR_PARAM_VALUE;
  lookback = <i32>l;
  entryZ = entry;
  exitZ = exit;
  allowShort = short == 1.0;
  closes = new Ring(lookback);
  position = 0.0;
  return OK;
}

function decide(window: Ring, held: f64): f64 {
  // The bands of exactly this window, as talib.BBANDS(window, lookback, 1, 1)[-1].
  const bb = bands;
  bandsLast(window.ptr, lookback, lookback, 1.0, bb);
  const std = bb.upper - bb.middle; // as the Python rule takes it, not bb.stddev
  if (!(std > 0.0)) return NaN; // a flat window has no z-score
  const z = (window.newest() - bb.middle) / std;
  if (held > 0.0) return z >= -exitZ ? 0.0 : NaN;
  if (held < 0.0) return z <= exitZ ? 0.0 : NaN;
  if (z <= -entryZ) return 1.0;
  if (z >= entryZ && allowShort) return -1.0;
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
