"""Strategy sandbox (wasmtime): batch backtests, live per-bar calls, cold starts from the cache.

All with the free tier's limits on (fuel metered, epoch deadline armed, memory capped).

- batch: exposures for 1,000,000 one-minute bars through an SMA(10)/SMA(30) crossover
  module in calls of 10,000 bars (the host's chunk size), including the copies of bars
  into and exposures out of wasm memory and the output checks; best of 3. Two modules:
  the running-sum SMA written in WAT (tests/engine/sandbox/wat.py, O(1) per bar) and the
  C example (strategies/examples/c, which re-sums the window the way TA-Lib does so its
  decisions equal the Python reference bit for bit: O(slow) per bar), when clang is here.
- live: one bar per on_bars call, as a deployment does on each closed kline: host -> module
  -> host, including fuel/deadline setup and output checks; mean of 20,000 calls.
- cold start: a new cache object on a warm cache directory (deserialize, no compile), a
  fresh store and instance, qt_abi_version and qt_init: median of 50.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from backend.engine.sandbox import Sandbox, SandboxLimits, parse_manifest
from backend.engine.sandbox.cache import ModuleCache
from backend.engine.sandbox.data import random_walk_bars
from bench.result import Result, percentile, timeit
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST

ROOT = Path(__file__).resolve().parent.parent
C_BUILD = ROOT / "strategies" / "examples" / "c" / "build.sh"
C_WASM = ROOT / "strategies" / "build" / "c" / "sma_cross.wasm"
BARS = 1_000_000
LIVE_CALLS = 20_000
COLD = 50
LIMITS = SandboxLimits()  # the free tier's defaults (config.yaml.example)
MANIFEST = parse_manifest(SMA_MANIFEST)


def _c_module() -> bytes | None:
    if not C_WASM.exists() and shutil.which("clang"):
        subprocess.run(["sh", str(C_BUILD)], capture_output=True, check=False, timeout=300)
    return C_WASM.read_bytes() if C_WASM.exists() else None


def _batch(sandbox: Sandbox, wasm: bytes, bars: np.ndarray) -> float:
    module = sandbox.compile(wasm)
    times = []
    for _ in range(3):
        strategy = sandbox.instantiate(module, MANIFEST)
        start = time.perf_counter_ns()
        strategy.on_bars(bars)
        times.append(time.perf_counter_ns() - start)
    return bars.shape[0] / (min(times) / 1e9)


def run() -> Iterator[Result]:
    bars = random_walk_bars(BARS, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = Sandbox(LIMITS, Path(tmp))
        yield Result(
            "batch, WAT running-sum SMA cross, 10,000-bar calls",
            _batch(sandbox, SMA_CROSS, bars),
            "bars/s",
            "goal: >= 40M bars/s with limits on",
            40_000_000,
        )
        c_wasm = _c_module()
        if c_wasm is not None:
            yield Result(
                "batch, C SMA cross (TA-Lib-exact window sums), 10,000-bar calls",
                _batch(Sandbox(LIMITS.with_(fuel_per_bar=20_000), Path(tmp)), c_wasm, bars),
                "bars/s",
            )

        strategy = sandbox.instantiate(sandbox.compile(SMA_CROSS), MANIFEST)
        strategy.on_bars(bars[:100])  # warm-up bars, buffers allocated
        singles = [bars[i : i + 1] for i in range(100, 100 + LIVE_CALLS)]
        it = iter(singles)
        ns = sum(timeit(lambda: strategy.on_bars(next(it)), repeat=LIVE_CALLS))
        yield Result(
            "live, one bar per call, host -> module -> host",
            ns / LIVE_CALLS / 1000,
            "us/call",
            "goal: < 20 us per call",
            20.0,
            higher_is_better=False,
        )

        cold = []
        for _ in range(COLD):
            start = time.perf_counter_ns()
            cache = ModuleCache(sandbox.engine, Path(tmp), stack_bytes=LIMITS.stack_bytes)
            module = cache.load(SMA_CROSS)
            sandbox.instantiate(module, MANIFEST)
            cold.append(time.perf_counter_ns() - start)
            assert cache.stats.compiled == 0
        yield Result(
            "cold start from the compiled-module cache (median)",
            percentile(cold, 50) / 1e6,
            "ms",
            "goal: < 5 ms",
            5.0,
            higher_is_better=False,
        )
