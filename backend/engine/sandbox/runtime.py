"""wasmtime engines for strategies, and the one epoch ticker thread of the process.

Fuel bounds what a call computes; the epoch bounds how long it runs. wasmtime checks the
epoch at function entries and loop back-edges, so a store whose deadline has passed traps
within a tick, however the module spins. One daemon thread increments every engine's epoch
each `tick_ms`; it holds the GIL only for that increment (wasm runs with the GIL released).

An engine's Config is fixed at creation, and the stack limit lives there, so there is one
engine per distinct stack limit (in practice one per tier), all shared by every store.
"""

from __future__ import annotations

import hashlib
import threading
import time
from importlib.metadata import version

import wasmtime

DEFAULT_TICK_MS = 1.0
WASMTIME_VERSION = version("wasmtime")

_lock = threading.Lock()
_engines: dict[int, wasmtime.Engine] = {}
_ticker: EpochTicker | None = None


def _config(stack_bytes: int) -> wasmtime.Config:
    config = wasmtime.Config()
    config.consume_fuel = True
    config.epoch_interruption = True
    config.max_wasm_stack = stack_bytes
    # Same inputs, same outputs on every machine: NaN bit patterns and relaxed SIMD are the
    # two places where wasm lets hardware differ.
    config.cranelift_nan_canonicalization = True
    config.wasm_relaxed_simd_deterministic = True
    config.wasm_threads = False
    # The host keeps numpy views of its buffers in the module's memory between calls: the
    # memory must never move when the module grows it.
    config.memory_may_move = False
    config.parallel_compilation = False
    return config


def engine_fingerprint(stack_bytes: int) -> str:
    """Names everything a compiled artifact depends on, so a cache never serves a stale one."""
    text = f"wasmtime={WASMTIME_VERSION};stack={stack_bytes};fuel;epoch;nancanon;relaxeddet;nomove"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def engine_for(stack_bytes: int, tick_ms: float = DEFAULT_TICK_MS) -> wasmtime.Engine:
    """The shared engine for this stack limit; starts the epoch ticker on first use."""
    with _lock:
        engine = _engines.get(stack_bytes)
        if engine is None:
            engine = wasmtime.Engine(_config(stack_bytes))
            _engines[stack_bytes] = engine
        _ensure_ticker(tick_ms)
        return engine


def tick_ms() -> float:
    return _ticker.tick_ms if _ticker is not None else DEFAULT_TICK_MS


def _ensure_ticker(tick: float) -> None:
    global _ticker
    if _ticker is None or not _ticker.is_alive():
        _ticker = EpochTicker(tick)
        _ticker.start()


class EpochTicker(threading.Thread):
    def __init__(self, tick: float) -> None:
        super().__init__(name="wasm-epoch-ticker", daemon=True)
        self.tick_ms = tick

    def run(self) -> None:
        delay = self.tick_ms / 1000
        while True:
            time.sleep(delay)
            for engine in list(_engines.values()):
                engine.increment_epoch()


def deadline_ticks(deadline_ms: float) -> int:
    """Epoch ticks for a deadline: one more than the division, since the current tick is partial."""
    return max(1, int(deadline_ms / tick_ms()) + 1)
