"""The happy path: a well-behaved module as a Strategy, its buffers, backtests, the cache, qt.log."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import wasmtime

from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_backtest
from backend.engine.sandbox import Sandbox, parse_manifest, validate_module
from backend.engine.sandbox.cache import ModuleCache
from backend.engine.sandbox.data import random_walk_bars
from backend.engine.sandbox.errors import InvalidParams
from backend.engine.strategies.reference import SmaCross
from tests.engine.sandbox.conftest import TEST_LIMITS
from tests.engine.sandbox.wat import PLAIN_MANIFEST, SMA_CROSS, SMA_MANIFEST, module, on_bars_body

MANIFEST = parse_manifest(SMA_MANIFEST)


def test_sma_module_matches_the_python_reference(sandbox: Sandbox) -> None:
    bars = random_walk_bars(3_000, seed=5)
    for fast, slow, short in ((10, 30, 0), (5, 50, 1)):
        params = {"fast": fast, "slow": slow, "allow_short": short}
        out = sandbox.load(SMA_CROSS, MANIFEST, params).on_bars(bars)
        np.testing.assert_array_equal(out, SmaCross(fast, slow, bool(short)).on_bars(bars))


def test_validation_accepts_it_and_measures_fuel(sandbox: Sandbox) -> None:
    report = validate_module(SMA_CROSS, SMA_MANIFEST, sandbox, n_bars=1_000)
    assert report.accepted, report.message
    assert report.code == "ok"
    assert report.fuel_per_bar is not None and 10 < report.fuel_per_bar < 1_000
    assert report.details["first_output_bar"] == 29
    assert report.as_dict()["accepted"] is True


def test_any_chunking_gives_the_batch_outputs(sandbox: Sandbox) -> None:
    bars = random_walk_bars(1_000, seed=9)
    batch = sandbox.load(SMA_CROSS, MANIFEST).on_bars(bars)
    small = Sandbox(TEST_LIMITS.with_(max_batch_bars=7))  # on_bars splits into calls of 7
    np.testing.assert_array_equal(small.load(SMA_CROSS, MANIFEST).on_bars(bars), batch)
    one = sandbox.load(SMA_CROSS, MANIFEST)
    np.testing.assert_array_equal(np.concatenate([one.on_bars(bars[i : i + 1]) for i in range(1_000)]), batch)


def test_host_buffers_are_allocated_once_and_grown_only_for_larger_batches(sandbox: Sandbox) -> None:
    strategy = sandbox.load(SMA_CROSS, MANIFEST)
    bars = random_walk_bars(500)
    strategy.on_bars(bars[:1])
    first = (strategy._bars_ptr, strategy._out_ptr, strategy._cap)
    for i in range(1, 16):
        strategy.on_bars(bars[i : i + 1])
    strategy.on_bars(bars[16:32])
    assert (strategy._bars_ptr, strategy._out_ptr, strategy._cap) == first
    strategy.on_bars(bars[32:232])
    assert strategy._cap == 200
    assert strategy._bars_ptr != first[0]
    grown = strategy._bars_ptr
    strategy.on_bars(bars[232:300])
    assert strategy._bars_ptr == grown


def test_params_are_checked_against_the_manifest(sandbox: Sandbox) -> None:
    with pytest.raises(InvalidParams, match="fast"):
        sandbox.load(SMA_CROSS, MANIFEST, {"fast": 0})
    with pytest.raises(InvalidParams, match="unknown parameter"):
        sandbox.load(SMA_CROSS, MANIFEST, {"period": 3})
    with pytest.raises(Exception) as caught:  # fast >= slow: the module's own qt_init refuses
        sandbox.load(SMA_CROSS, MANIFEST, {"fast": 40, "slow": 30})
    assert getattr(caught.value, "code", None) == "init_failed"


def test_backtest_runs_it_unchanged(sandbox: Sandbox) -> None:
    bars = random_walk_bars(600, seed=2)
    config = BacktestConfig(cash=Decimal(10_000))
    wasm_result = run_backtest(sandbox.load(SMA_CROSS, MANIFEST), bars, config)
    py_result = run_backtest(SmaCross(10, 30, False), bars, config)
    np.testing.assert_array_equal(wasm_result.equity, py_result.equity)
    assert len(wasm_result.trades) == len(py_result.trades) > 0
    event = run_backtest(sandbox.load(SMA_CROSS, MANIFEST), bars, config, mode="event")
    assert event.final_equity == run_backtest(SmaCross(10, 30, False), bars, config, mode="event").final_equity


def test_cache_survives_a_restart_without_compiling(tmp_path: Path) -> None:
    first = Sandbox(TEST_LIMITS, cache_dir=tmp_path)
    first.compile(SMA_CROSS)
    assert (first.cache.stats.compiled, first.cache.stats.deserialized) == (1, 0)
    first.compile(SMA_CROSS)
    assert first.cache.stats.memory_hits == 1

    restarted = ModuleCache(first.engine, tmp_path, stack_bytes=TEST_LIMITS.stack_bytes)
    loaded = restarted.load(SMA_CROSS)
    assert (restarted.stats.compiled, restarted.stats.deserialized) == (0, 1)
    strategy = Sandbox(TEST_LIMITS).instantiate(loaded, MANIFEST)
    assert strategy.on_bars(random_walk_bars(40))[-1] in (0.0, 1.0)


def test_a_corrupted_cache_file_is_recompiled(tmp_path: Path) -> None:
    sandbox = Sandbox(TEST_LIMITS, cache_dir=tmp_path)
    sandbox.compile(SMA_CROSS)
    (path,) = tmp_path.glob("*.cwasm")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = ModuleCache(sandbox.engine, tmp_path, stack_bytes=TEST_LIMITS.stack_bytes)
    again.load(SMA_CROSS)
    assert (again.stats.corrupt, again.stats.compiled) == (1, 1)
    path.write_bytes(b"short")
    third = ModuleCache(sandbox.engine, tmp_path, stack_bytes=TEST_LIMITS.stack_bytes)
    assert isinstance(third.load(SMA_CROSS), wasmtime.Module)
    assert third.stats.corrupt == 1


LOGGER = module(
    imports='(import "qt" "log" (func $log (param i32 i32)))',
    extra='(data (i32.const 100) "hello from wasm")',
    on_bars=on_bars_body(
        "(local $k i32)"
        "(call $log (i32.const 100) (i32.const 15))"
        "(call $log (i32.const 100) (i32.const 100000))"  # past the message: truncated
        "(call $log (i32.const -16) (i32.const 64))"  # outside memory: ignored, never a trap
        "(loop $l (call $log (i32.const 100) (i32.const 5))"
        " (local.set $k (i32.add (local.get $k) (i32.const 1)))"
        " (br_if $l (i32.lt_u (local.get $k) (i32.const 100))))"
        "i32.const 0"
    ),
)


def test_qt_log_is_truncated_rate_limited_and_never_traps(sandbox: Sandbox) -> None:
    lines: list[str] = []
    strategy = sandbox.instantiate(sandbox.compile(LOGGER), parse_manifest(PLAIN_MANIFEST), log_sink=lines.append)
    strategy.on_bars(random_walk_bars(2))
    limit = TEST_LIMITS.log_max_lines_per_call
    assert len(lines) == limit
    assert lines[0] == "hello from wasm"
    assert len(lines[1].encode()) <= TEST_LIMITS.log_max_bytes
    assert lines[2] == ""
    assert strategy.logs_dropped == 103 - limit
    strategy.on_bars(random_walk_bars(2))  # the budget is per call
    assert len(lines) == 2 * limit
