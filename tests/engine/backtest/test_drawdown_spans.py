"""The vectorized drawdown spans agree with the straightforward loop they replaced."""

from __future__ import annotations

import numpy as np
import pytest

from backend.engine.backtest.metrics import _drawdown_spans, drawdown_series


def loop_spans(dd: np.ndarray) -> tuple[tuple[int, int], tuple[int, int]]:
    """The original per-bar implementation, kept as the reference."""
    deepest = longest = (0, 0)
    deepest_depth = 0.0
    i, n = 0, dd.size
    while i < n:
        if dd[i] <= 0:
            i += 1
            continue
        peak = i - 1
        j = i
        while j < n and dd[j] > 0:
            j += 1
        end = j if j < n else n - 1
        depth = float(dd[i:j].max())
        if depth > deepest_depth:
            deepest_depth, deepest = depth, (peak, end)
        if end - peak > longest[1] - longest[0]:
            longest = (peak, end)
        i = j
    return deepest, longest


@pytest.mark.parametrize("seed", range(40))
def test_matches_the_loop_on_random_walks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    # Coarse rounding makes exact new highs, equal depths and equal lengths (ties) common.
    equity = np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.02, n))), int(rng.integers(0, 3)))
    equity[0] = max(equity[0], 1.0)
    dd = drawdown_series(equity)
    assert _drawdown_spans(dd) == loop_spans(dd)


@pytest.mark.parametrize(
    "equity",
    [
        [100.0],
        [100.0, 100.0, 100.0],
        [100.0, 90.0],  # under water at the end
        [100.0, 90.0, 100.0, 90.0, 100.0],  # equal drawdowns: the first wins
        [100.0, 110.0, 120.0],
        [100.0, 50.0, 0.0, 10.0],  # ruin
    ],
)
def test_matches_the_loop_on_edge_cases(equity: list[float]) -> None:
    dd = drawdown_series(np.asarray(equity))
    assert _drawdown_spans(dd) == loop_spans(dd)
