from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.engine.backtest.robustness import Split, bootstrap_trades, run_walk_forward, walk_forward_splits


def test_bootstrap_is_reproducible_and_ordered() -> None:
    returns = [0.05, -0.02, 0.03, -0.04, 0.01, 0.02]
    a = bootstrap_trades(returns, initial_equity=1000, simulations=2000, rng=42)
    b = bootstrap_trades(returns, initial_equity=1000, simulations=2000, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a.final_equity, b.final_equity)
    eq, dd = a.final_equity_percentiles(), a.max_drawdown_percentiles()
    assert list(eq) == [5, 25, 50, 75, 95]
    assert eq[5] <= eq[25] <= eq[50] <= eq[75] <= eq[95]
    assert 0 <= dd[5] <= dd[95] < 1
    json.dumps(a.as_dict(), allow_nan=False)
    assert a.trades_per_path == 6 and a.final_equity.shape == (2000,)


def test_bootstrap_paths_compound_the_drawn_returns() -> None:
    # One distinct return: every path is deterministic.
    result = bootstrap_trades([0.1], initial_equity=100, simulations=3, trades_per_path=3)
    np.testing.assert_allclose(result.final_equity, [133.1] * 3)
    np.testing.assert_array_equal(result.max_drawdown, [0, 0, 0])
    losing = bootstrap_trades([-0.5], initial_equity=100, simulations=1, trades_per_path=2)
    assert losing.final_equity[0] == 25 and losing.max_drawdown[0] == 0.75
    assert losing.probability_of_loss(100) == 1.0


def test_bootstrap_median_tracks_the_sample_mean_log_growth() -> None:
    rng = np.random.default_rng(1)
    returns = rng.normal(0.01, 0.05, 200)
    result = bootstrap_trades(returns, simulations=4000, rng=7)
    expected = np.exp(np.log1p(returns).sum())  # median of the compounded product ~ exp(n * mean log)
    assert result.final_equity_percentiles()[50] == pytest.approx(expected, rel=0.25)


def test_bootstrap_rejects_nothing_to_resample() -> None:
    with pytest.raises(ValueError, match="no trades"):
        bootstrap_trades([])
    with pytest.raises(ValueError, match="finite"):
        bootstrap_trades([float("nan")])


def test_rolling_and_anchored_splits() -> None:
    rolling = walk_forward_splits(10, train=4, test=2)
    assert [(s.train, s.test) for s in rolling] == [
        (range(0, 4), range(4, 6)),
        (range(2, 6), range(6, 8)),
        (range(4, 8), range(8, 10)),
    ]
    anchored = walk_forward_splits(10, train=4, test=2, anchored=True)
    assert [s.train for s in anchored] == [range(0, 4), range(0, 6), range(0, 8)]
    assert walk_forward_splits(11, train=4, test=3) == [
        Split(0, range(0, 4), range(4, 7)),
        Split(1, range(3, 7), range(7, 10)),
    ]
    assert walk_forward_splits(11, train=4, test=3, partial_last=True)[-1].test == range(10, 11)
    assert walk_forward_splits(3, train=4, test=1) == []


@given(
    n=st.integers(0, 300),
    train=st.integers(1, 50),
    test=st.integers(1, 50),
    step=st.integers(1, 60),
    anchored=st.booleans(),
)
def test_splits_never_leak_the_future(n: int, train: int, test: int, step: int, anchored: bool) -> None:
    splits = walk_forward_splits(n, train=train, test=test, step=step, anchored=anchored)
    for s in splits:
        assert s.train.stop == s.test.start and len(s.test) == test and s.test.stop <= n
        assert len(s.train) >= train and s.train.start >= 0
    assert [s.test.start for s in splits] == sorted({s.test.start for s in splits})


def test_run_walk_forward_calls_once_per_split_in_order() -> None:
    data = np.arange(20.0)
    splits = walk_forward_splits(20, train=5, test=5)
    results = run_walk_forward(splits, lambda s: (s.number, data[s.test.start : s.test.stop].mean()))
    assert results == [(0, 7.0), (1, 12.0), (2, 17.0)]


def test_bad_split_sizes() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        walk_forward_splits(10, train=0, test=2)
    with pytest.raises(ValueError, match="step"):
        walk_forward_splits(10, train=2, test=2, step=0)
