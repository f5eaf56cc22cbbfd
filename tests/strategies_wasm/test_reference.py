"""The AssemblyScript reference strategies (strategies/reference) against ABI v1 and the Python originals.

Each module must decide exactly like backend/engine/strategies/reference.py on the same bars
(same parameters, same fixed windows, same rules), whatever the batching, and be accepted by
the sandbox host's upload validation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pytest

from backend.engine.sandbox import Sandbox, SandboxLimits, parse_manifest, validate_module
from backend.engine.strategies.registry import REFERENCE_STRATEGIES
from tests.strategies_wasm.wasm import BUILD, REFERENCE, Strategy, built, manifest, module

# Several parameter sets per strategy, defaults first; both allow_short settings appear.
PARAMS: dict[str, list[dict[str, float]]] = {
    "sma_cross": [{}, {"fast": 5, "slow": 20, "allow_short": 1}, {"fast": 2, "slow": 3}, {"fast": 50, "slow": 200}],
    "momentum": [{}, {"lookback": 5, "threshold": 0.01, "allow_short": 1}, {"lookback": 1}, {"lookback": 60}],
    "mean_reversion": [
        {},
        {"lookback": 10, "entry_z": 1.0, "exit_z": 0.0, "allow_short": 1},
        {"lookback": 2, "entry_z": 0.5, "exit_z": 0.2},
        {"lookback": 100, "entry_z": 1.5, "exit_z": 0.5, "allow_short": 1},
    ],
    "rsi": [
        {},
        {"period": 2, "lower": 10, "upper": 90, "allow_short": 1},
        {"period": 7, "lower": 40, "upper": 60},
        {"period": 30, "lower": 45, "upper": 55, "allow_short": 1},
    ],
    "macd": [
        {},
        {"fast": 3, "slow": 10, "signal": 2, "allow_short": 1},
        {"fast": 5, "slow": 6, "signal": 2},
        {"fast": 20, "slow": 50, "signal": 15, "allow_short": 1},
    ],
    "bollinger_breakout": [
        {},
        {"period": 10, "k": 1.0, "allow_short": 1},
        {"period": 2, "k": 0.5},
        {"period": 50, "k": 2.5, "allow_short": 1},
    ],
}

CASES = [(name, params) for name in REFERENCE for params in PARAMS[name]]


def random_walk(n: int, seed: int) -> np.ndarray:
    """Bars of a log-normal random walk, with wicks and an occasional flat stretch."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.01, n)
    steps[rng.random(n) < 0.02] = 0.0  # repeated closes: ties in comparisons
    close = 100.0 * np.exp(np.cumsum(steps))
    open_ = np.r_[100.0, close[:-1]]
    high = np.maximum(open_, close) * (1.0 + rng.uniform(0.0, 0.005, n))
    low = np.minimum(open_, close) * (1.0 - rng.uniform(0.0, 0.005, n))
    volume = rng.uniform(1.0, 10.0, n)
    open_time = 1_700_000_000_000.0 + 60_000.0 * np.arange(n)
    return np.column_stack([open_time, open_, high, low, close, volume])


BARS = random_walk(6_000, seed=11)


def values(name: str, params: Mapping[str, float]) -> list[float]:
    spec = REFERENCE_STRATEGIES[name]
    resolved = spec.validate(params)
    return [resolved[p.name] for p in spec.params]


def fresh(name: str, params: Mapping[str, float]) -> Strategy:
    strategy = Strategy(name)
    assert strategy.init(values(name, params)) == 0
    return strategy


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


def test_every_reference_strategy_has_a_module() -> None:
    assert sorted(REFERENCE) == sorted(REFERENCE_STRATEGIES)
    for name in REFERENCE:
        built(name)


@pytest.mark.parametrize("name", REFERENCE)
def test_imports_exports_and_abi_version(name: str) -> None:
    mod = module(name)
    assert [(i.module, i.name) for i in mod.imports] in ([], [("qt", "log")])
    exports = {e.name for e in mod.exports}
    assert {"memory", "qt_abi_version", "qt_alloc", "qt_init", "qt_on_bars"} <= exports
    assert Strategy(name).wasm.call("qt_abi_version") == 1


@pytest.mark.parametrize("name", REFERENCE)
def test_manifest_matches_the_python_registry(name: str) -> None:
    spec = REFERENCE_STRATEGIES[name]
    data = manifest(name)
    assert data["name"] == name
    assert data["description"] == spec.description
    assert data["params"] == [p.as_dict() for p in spec.params]
    assert data["warmup_bars"] == spec.warmup({})
    assert data["version"] and data["intervals"]
    parse_manifest(data)  # the sandbox host accepts it


@pytest.mark.parametrize(("name", "params"), CASES)
def test_same_outputs_as_the_python_strategy(name: str, params: dict[str, float]) -> None:
    expected = REFERENCE_STRATEGIES[name].build(params).on_bars(BARS)
    got = fresh(name, params).on_bars(BARS)
    differ = np.flatnonzero(~((got == expected) | (np.isnan(got) & np.isnan(expected))))
    assert differ.size == 0, f"first difference at bar {differ[0]}: {got[differ[0]]} != {expected[differ[0]]}"
    # The data set exercises the rule: positions change, and there is a warmup.
    warmup = REFERENCE_STRATEGIES[name].warmup(params)
    assert np.isnan(got[: warmup - 1]).all() and not np.isnan(got[warmup - 1 :]).any()
    assert np.count_nonzero(np.diff(got[warmup - 1 :])) > 5


@pytest.mark.parametrize(("name", "params"), CASES)
def test_batch_stream_and_random_chunks_agree(name: str, params: dict[str, float]) -> None:
    bars = BARS[:1_500]
    batch = fresh(name, params).on_bars(bars)
    stream = fresh(name, params)
    streamed = np.concatenate([stream.on_bars(bars[i : i + 1]) for i in range(bars.shape[0])])
    assert same(batch, streamed)
    rng = np.random.default_rng(hash(name) % 1000)
    chunked, parts, start = fresh(name, params), [], 0
    while start < bars.shape[0]:
        size = int(rng.integers(0, 200))  # empty calls included
        parts.append(chunked.on_bars(bars[start : start + size]))
        start += size
    assert same(batch, np.concatenate(parts))
    assert np.all(np.isnan(batch) | ((batch >= -1.0) & (batch <= 1.0)))


@pytest.mark.parametrize("name", REFERENCE)
def test_no_look_ahead(name: str) -> None:
    bars = BARS[:1_000]
    base = fresh(name, {}).on_bars(bars)
    for k in (300, 700):
        other = bars.copy()
        other[k + 1 :, 1:5] = random_walk(bars.shape[0] - k - 1, seed=k)[:, 1:5] * (bars[k, 4] / 100.0)
        assert same(fresh(name, {}).on_bars(other)[: k + 1], base[: k + 1])


@pytest.mark.parametrize("name", REFERENCE)
def test_outputs_depend_only_on_the_window(name: str) -> None:
    """A live instance rebuilt from warmup bars decides like one that has run all along."""
    spec = REFERENCE_STRATEGIES[name]
    full = fresh(name, {}).on_bars(BARS[:3_000])
    start = 2_000 - spec.warmup({}) + 1
    rebuilt = fresh(name, {}).on_bars(BARS[start:3_000])
    assert same(rebuilt[2_000 - start :], full[2_000:])


def bad_params(name: str) -> list[list[float]]:
    spec = REFERENCE_STRATEGIES[name]
    good = values(name, {})
    out = []
    for i, p in enumerate(spec.params):
        for bad in (p.minimum - 1.0, p.maximum + 1.0, float("nan")):
            v = list(good)
            v[i] = bad
            out.append(v)
        if p.kind == "int":
            v = list(good)
            v[i] = p.default + 0.5
            out.append(v)
    return out


@pytest.mark.parametrize("name", REFERENCE)
def test_init_rejects_bad_parameters(name: str) -> None:
    strategy = Strategy(name)
    assert strategy.init(values(name, {})[:-1]) == 1  # wrong count
    for params in bad_params(name):
        assert strategy.init(params) == 2, params
    crossed = {"sma_cross": {"fast": 30, "slow": 10}, "macd": {"fast": 26, "slow": 12}}
    crossed |= {"mean_reversion": {"entry_z": 0.5, "exit_z": 2.0}, "rsi": {"lower": 70, "upper": 30}}
    if name in crossed:
        spec = REFERENCE_STRATEGIES[name]
        given = spec.defaults | crossed[name]
        assert strategy.init([given[p.name] for p in spec.params]) == 2
    unready = Strategy(name)
    assert int(unready.wasm.call("qt_on_bars", 0, 0, 0)) == 3  # before qt_init


@pytest.mark.parametrize("name", ["rsi", "macd"])
def test_windows_match_python_over_the_whole_parameter_range(name: str) -> None:
    """Window lengths use log(); check the module's warmup equals Python's for every period."""
    spec = REFERENCE_STRATEGIES[name]
    strategy = Strategy(name)
    grid = (
        [{"period": p} for p in range(2, 201)]
        if name == "rsi"
        else [{"fast": 2, "slow": s, "signal": g} for s in (3, 26, 100, 400) for g in range(1, 201, 7)]
    )
    for params in grid:
        warmup = spec.warmup(params)
        assert strategy.init(values(name, params)) == 0
        out = strategy.on_bars(BARS[: warmup + 1])
        assert np.isnan(out[warmup - 2]) and not np.isnan(out[warmup - 1]), params


@pytest.mark.parametrize("name", REFERENCE)
def test_the_sandbox_host_accepts_and_runs_the_module(name: str) -> None:
    sandbox = Sandbox(SandboxLimits())
    wasm = (BUILD / f"{name}.wasm").read_bytes()
    data = json.loads((BUILD / f"{name}.json").read_text())
    report = validate_module(wasm, data, sandbox, n_bars=1_000)
    assert report.accepted, report.as_dict()
    params = PARAMS[name][1]
    hosted = sandbox.load(wasm, parse_manifest(data), params).on_bars(BARS[:2_000])
    assert same(hosted, REFERENCE_STRATEGIES[name].build(params).on_bars(BARS[:2_000]))


LARGEST = {
    "sma_cross": {"fast": 499, "slow": 1000},
    "mean_reversion": {"lookback": 1000},
    "rsi": {"period": 200},
    "macd": {"fast": 199, "slow": 400, "signal": 200},
    "bollinger_breakout": {"period": 1000},
}


@pytest.mark.parametrize("name", sorted(LARGEST))
def test_largest_windows_fit_the_default_fuel_budget(name: str) -> None:
    """Recomputing the window every bar stays within the default tier's fuel per bar.

    Only fuel is at its default: the wall-clock deadline is lifted so a busy machine cannot fail this.
    """
    sandbox = Sandbox(SandboxLimits(deadline_ms=600_000))
    wasm = (BUILD / f"{name}.wasm").read_bytes()
    strategy = sandbox.load(wasm, parse_manifest(manifest(name)), LARGEST[name])
    warmup = REFERENCE_STRATEGIES[name].warmup(LARGEST[name])
    strategy.on_bars(BARS[:warmup])
    out = strategy.on_bars(BARS[warmup : warmup + 2_000])  # every bar decided on a full window
    assert not np.isnan(out).any()
