"""WebAssembly test modules written as WAT, so the tests need no toolchain.

`module(...)` assembles a well-formed ABI v1 module from parts; each hostile module swaps
in one bad part. SMA_CROSS is the well-behaved strategy: a running-sum SMA crossover.
"""

from __future__ import annotations

from typing import Any

import wasmtime

MEMORY = '(memory (export "memory") 2)'
ABI = '(func (export "qt_abi_version") (result i32) i32.const 1)'
# Bump allocator from 64 KiB up, growing memory as needed; 0 when memory cannot grow.
ALLOC = """
(global $heap (mut i32) (i32.const 65536))
(func $alloc (export "qt_alloc") (param $size i32) (result i32)
  (local $ptr i32) (local $end i32) (local $pages i32)
  (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
  (local.set $end (i32.add (local.get $ptr) (local.get $size)))
  (local.set $pages (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                             (memory.size)))
  (if (i32.gt_s (local.get $pages) (i32.const 0))
    (then (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then (return (i32.const 0))))))
  (global.set $heap (local.get $end))
  (local.get $ptr))
"""
INIT_OK = '(func (export "qt_init") (param i32 i32) (result i32) i32.const 0)'
# Writes 0.0 for every bar.
ON_BARS_ZERO = """
(func (export "qt_on_bars") (param $bars i32) (param $n i32) (param $out i32) (result i32)
  (local $i i32)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64.const 0))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))
  i32.const 0)
"""


def module(
    *,
    imports: str = "",
    memory: str = MEMORY,
    abi: str = ABI,
    alloc: str = ALLOC,
    init: str = INIT_OK,
    on_bars: str = ON_BARS_ZERO,
    extra: str = "",
) -> bytes:
    return wasmtime.wat2wasm(f"(module {imports} {memory} {abi} {alloc} {init} {on_bars} {extra})")


def output_module(value: str) -> bytes:
    """Writes the f64 expression `value` for every bar (e.g. 'f64.const inf')."""
    return module(on_bars=ON_BARS_ZERO.replace("(f64.const 0)", f"({value})"))


# SMA crossover over the close with params (fast, slow, allow_short); running sums in a ring buffer
# at 1024 (slow <= 1000). Outputs NaN until `slow` bars were seen, then 1 / 0 / -1.
SMA_INIT = """
(global $fast (mut i32) (i32.const 0)) (global $slow (mut i32) (i32.const 0))
(global $short (mut i32) (i32.const 0)) (global $count (mut i32) (i32.const 0))
(global $sf (mut f64) (f64.const 0)) (global $ss (mut f64) (f64.const 0))
(func (export "qt_init") (param $p i32) (param $n i32) (result i32)
  (if (i32.ne (local.get $n) (i32.const 3)) (then (return (i32.const 1))))
  (global.set $fast (i32.trunc_f64_s (f64.load (local.get $p))))
  (global.set $slow (i32.trunc_f64_s (f64.load offset=8 (local.get $p))))
  (global.set $short (i32.trunc_f64_s (f64.load offset=16 (local.get $p))))
  (if (i32.or (i32.lt_s (global.get $fast) (i32.const 1))
        (i32.or (i32.ge_s (global.get $fast) (global.get $slow)) (i32.gt_s (global.get $slow) (i32.const 1000))))
    (then (return (i32.const 2))))
  (global.set $count (i32.const 0)) (global.set $sf (f64.const 0)) (global.set $ss (f64.const 0))
  i32.const 0)
"""
SMA_ON_BARS = """
(func (export "qt_on_bars") (param $bars i32) (param $n i32) (param $out i32) (result i32)
  (local $i i32) (local $c f64) (local $slot i32) (local $f f64) (local $s f64) (local $pos f64)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $c (f64.load offset=32 (i32.add (local.get $bars) (i32.mul (local.get $i) (i32.const 48)))))
    (local.set $slot (i32.add (i32.const 1024)
      (i32.shl (i32.rem_u (global.get $count) (global.get $slow)) (i32.const 3))))
    (if (i32.ge_u (global.get $count) (global.get $slow))
      (then (global.set $ss (f64.sub (global.get $ss) (f64.load (local.get $slot))))))
    (if (i32.ge_u (global.get $count) (global.get $fast))
      (then (global.set $sf (f64.sub (global.get $sf) (f64.load (i32.add (i32.const 1024) (i32.shl
        (i32.rem_u (i32.sub (global.get $count) (global.get $fast)) (global.get $slow)) (i32.const 3))))))))
    (f64.store (local.get $slot) (local.get $c))
    (global.set $ss (f64.add (global.get $ss) (local.get $c)))
    (global.set $sf (f64.add (global.get $sf) (local.get $c)))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (local.set $pos (f64.const nan))
    (if (i32.ge_u (global.get $count) (global.get $slow)) (then
      (local.set $f (f64.div (global.get $sf) (f64.convert_i32_s (global.get $fast))))
      (local.set $s (f64.div (global.get $ss) (f64.convert_i32_s (global.get $slow))))
      (local.set $pos (f64.const 0))
      (if (f64.gt (local.get $f) (local.get $s)) (then (local.set $pos (f64.const 1))))
      (if (i32.and (f64.lt (local.get $f) (local.get $s)) (global.get $short))
        (then (local.set $pos (f64.const -1))))))
    (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $pos))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))
  i32.const 0)
"""
SMA_CROSS = module(init=SMA_INIT, on_bars=SMA_ON_BARS)
SMA_MANIFEST: dict[str, Any] = {
    "name": "wat_sma_cross",
    "version": "1.0.0",
    "description": "SMA crossover (running sums)",
    "params": [
        {"name": "fast", "type": "int", "default": 10, "min": 1, "max": 500},
        {"name": "slow", "type": "int", "default": 30, "min": 2, "max": 1000},
        {"name": "allow_short", "type": "int", "default": 0, "min": 0, "max": 1},
    ],
    "warmup_bars": 30,
    "intervals": ["1m", "5m", "1h"],
}
PLAIN_MANIFEST: dict[str, Any] = {
    "name": "plain",
    "version": "0.1.0",
    "description": "",
    "params": [],
    "warmup_bars": 0,
    "intervals": ["1m"],
}


def on_bars_body(body: str) -> str:
    return f'(func $f (export "qt_on_bars") (param $bars i32) (param $n i32) (param $out i32) (result i32) {body})'
