from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.engine.params import ParamError
from backend.engine.strategies import REFERENCE_STRATEGIES, build
from backend.engine.strategy.protocol import CLOSE, Strategy

# Small windows keep the property tests quick; allow_short exercises every branch.
SMALL = {
    "sma_cross": {"fast": 3, "slow": 8, "allow_short": 1},
    "momentum": {"lookback": 5, "threshold": 0.01, "allow_short": 1},
    "mean_reversion": {"lookback": 10, "entry_z": 1.0, "exit_z": 0.2, "allow_short": 1},
    "rsi": {"period": 5, "lower": 40, "upper": 60, "allow_short": 1},
    "macd": {"fast": 3, "slow": 6, "signal": 3, "allow_short": 1},
    "bollinger_breakout": {"period": 10, "k": 1.0, "allow_short": 1},
}
NAMES = sorted(REFERENCE_STRATEGIES)


def random_bars(seed: int, n: int, coarse: bool = False) -> np.ndarray:
    """A random walk; `coarse` rounds prices to a few ticks so ties and flat stretches happen."""
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    if coarse:
        close = np.round(close)
    open_ = np.r_[close[:1], close[:-1]]
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.005, n))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.005, n))
    times = 1_767_225_600_000 + 60_000 * np.arange(n)
    return np.column_stack([times, open_, high, low, close, rng.uniform(0, 10, n)]).astype(np.float64)


def fresh(name: str, params: dict[str, float] | None = None) -> Strategy:
    return build(name, SMALL[name] if params is None else params)


def run_in_chunks(strategy: Strategy, bars: np.ndarray, cuts: list[int]) -> np.ndarray:
    edges = [0, *sorted({c for c in cuts if 0 < c < len(bars)}), len(bars)]
    return np.concatenate([strategy.on_bars(bars[a:b]) for a, b in itertools.pairwise(edges)])


def test_the_registry_holds_the_six_reference_strategies() -> None:
    assert set(NAMES) == {"sma_cross", "momentum", "mean_reversion", "rsi", "macd", "bollinger_breakout"}
    for spec in REFERENCE_STRATEGIES.values():
        described = spec.as_dict()
        assert described["warmup"] == build(spec.name, {}).warmup_bars > 0
        assert all(p.minimum <= p.default <= p.maximum for p in spec.params)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 120), coarse=st.booleans(), cuts=st.lists(st.integers(0, 120)))
def test_batch_equals_one_bar_at_a_time_equals_any_chunking(
    name: str, seed: int, n: int, coarse: bool, cuts: list[int]
) -> None:
    bars = random_bars(seed, n, coarse)
    batch = fresh(name).on_bars(bars)
    single = run_in_chunks(fresh(name), bars, list(range(n)))
    chunked = run_in_chunks(fresh(name), bars, cuts)
    np.testing.assert_array_equal(batch, single)
    np.testing.assert_array_equal(batch, chunked)
    assert batch.shape == (n,) and batch.dtype == np.float64
    finite = batch[~np.isnan(batch)]
    assert np.all((finite >= -1) & (finite <= 1))
    warmup = fresh(name).warmup_bars
    assert np.all(np.isnan(batch[: warmup - 1]))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), other=st.integers(0, 2**32 - 1), k=st.integers(0, 99))
def test_no_look_ahead(name: str, seed: int, other: int, k: int) -> None:
    bars = random_bars(seed, 100)
    altered = bars.copy()
    altered[k + 1 :, 1:] = random_bars(other, 100)[k + 1 :, 1:]
    np.testing.assert_array_equal(fresh(name).on_bars(bars)[: k + 1], fresh(name).on_bars(altered)[: k + 1])


@pytest.mark.parametrize("name", NAMES)
def test_defaults_take_positions_on_a_long_random_walk(name: str) -> None:
    bars = random_bars(7, 3000)
    out = build(name, {}).on_bars(bars)
    spec = REFERENCE_STRATEGIES[name]
    assert np.all(np.isnan(out[: spec.warmup({}) - 1]))
    assert np.nanmax(np.abs(out)) == 1.0  # it trades at all


def test_sma_cross_matches_pandas_rolling_means() -> None:
    bars = random_bars(3, 500)
    out = build("sma_cross", {"fast": 5, "slow": 20, "allow_short": 1}).on_bars(bars)
    close = pd.Series(bars[:, CLOSE])
    fast, slow = close.rolling(5).mean(), close.rolling(20).mean()
    expected = np.where(fast > slow, 1.0, np.where(fast < slow, -1.0, 0.0))
    expected[:19] = np.nan
    # Away from near-ties (where summation order decides) both agree bar for bar.
    clear = (fast - slow).abs().to_numpy() > 1e-9
    np.testing.assert_array_equal(out[clear], expected[clear])


def test_long_only_by_default() -> None:
    bars = random_bars(5, 2000)
    for name in NAMES:
        out = build(name, {}).on_bars(bars)
        assert np.nanmin(out) >= 0, name


@pytest.mark.parametrize(
    ("name", "params", "bad"),
    [
        ("sma_cross", {"fast": 30, "slow": 10}, "fast"),
        ("sma_cross", {"fast": 0}, "fast"),
        ("sma_cross", {"slowness": 3}, "slowness"),
        ("rsi", {"lower": 80, "upper": 20}, "lower"),
        ("rsi", {"period": 3.5}, "period"),
        ("mean_reversion", {"exit_z": 3.0, "entry_z": 2.0}, "exit_z"),
        ("bollinger_breakout", {"k": float("nan")}, "k"),
        ("momentum", {"allow_short": 2}, "allow_short"),
        ("macd", {"signal": 1000}, "signal"),
    ],
)
def test_bad_params_raise_value_error_naming_the_param(name: str, params: dict[str, float], bad: str) -> None:
    with pytest.raises(ValueError, match=bad) as caught:
        build(name, params)
    assert isinstance(caught.value, ParamError) and caught.value.param == bad


def test_unknown_strategy_and_bad_bar_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown strategy"):
        build("martingale", {})
    with pytest.raises(ValueError, match="shape"):
        build("sma_cross", {}).on_bars(np.zeros((3, 5)))
