// Quant-Trader strategy ABI v1 glue (docs/strategy-abi.md).
//
// A strategy's entry file re-exports qt_abi_version and qt_alloc from here and defines
// qt_init and qt_on_bars itself:
//
//   export { qt_abi_version, qt_alloc } from "@quant-trader/strategy-sdk";
//
// Compile with `--runtime stub --use abort=` (strategies/build.mjs does): the stub runtime
// is a bump allocator that never frees, and an empty abort turns failed checks into a trap
// instead of an `env.abort` import. The only import a module may have is qt.log.

export const ABI_VERSION: i32 = 1;

// A bar is six little-endian f64: [open_time_ms, open, high, low, close, volume].
export const BAR_FIELDS: i32 = 6;
export const BAR_BYTES: i32 = BAR_FIELDS * 8;
export const OPEN_TIME: i32 = 0;
export const OPEN: i32 = 1;
export const HIGH: i32 = 2;
export const LOW: i32 = 3;
export const CLOSE: i32 = 4;
export const VOLUME: i32 = 5;

// Return codes of qt_init / qt_on_bars (0 = ok; the host reports any other value by number).
export const OK: i32 = 0;
export const ERR_PARAM_COUNT: i32 = 1; // n_params differs from the manifest's parameter count
export const ERR_PARAM_VALUE: i32 = 2; // a parameter is out of range, not an integer, or breaks a rule
export const ERR_NOT_INITIALISED: i32 = 3; // qt_on_bars before a successful qt_init
export const ERR_BAD_ARGS: i32 = 4; // negative bar count

export function qt_abi_version(): i32 {
  return ABI_VERSION;
}

/** Host buffers come from the runtime's own bump heap, so they never overlap the module's data. */
export function qt_alloc(size: i32): i32 {
  if (size < 0) return 0;
  return <i32>heap.alloc(<usize>size);
}

// @ts-ignore: decorator
@inline export function barField(bars: i32, i: i32, field: i32): f64 {
  return load<f64>(<usize>bars + <usize>i * <usize>BAR_BYTES + (<usize>field << 3));
}

// @ts-ignore: decorator
@inline export function barHigh(bars: i32, i: i32): f64 {
  return barField(bars, i, HIGH);
}

// @ts-ignore: decorator
@inline export function barLow(bars: i32, i: i32): f64 {
  return barField(bars, i, LOW);
}

// @ts-ignore: decorator
@inline export function barClose(bars: i32, i: i32): f64 {
  return barField(bars, i, CLOSE);
}

/** The i-th f64 parameter, in manifest order. */
// @ts-ignore: decorator
@inline export function param(params: i32, i: i32): f64 {
  return load<f64>(<usize>params + (<usize>i << 3));
}

/** Target exposure for bar i: in [-1, 1], or NaN to keep the current one. */
// @ts-ignore: decorator
@inline export function setOut(out: i32, i: i32, exposure: f64): void {
  store<f64>(<usize>out + (<usize>i << 3), exposure);
}

/** An integer within [min, max]; false for NaN. */
export function isIntIn(v: f64, min: f64, max: f64): bool {
  return v >= min && v <= max && Math.floor(v) == v;
}

/** A number within [min, max]; false for NaN. */
export function isIn(v: f64, min: f64, max: f64): bool {
  return v >= min && v <= max;
}

// The one import a module may have; it is only emitted into modules that call log().
// @ts-ignore: decorator
@external("qt", "log")
declare function qt_log(ptr: i32, len: i32): void;

/** A line in the host's strategy log (truncated and rate-limited there). */
export function log(message: string): void {
  const bytes = String.UTF8.encode(message);
  qt_log(<i32>changetype<usize>(bytes), bytes.byteLength);
}
