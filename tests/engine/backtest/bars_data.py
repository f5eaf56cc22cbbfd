"""Random OHLCV bars for the backtest tests: a geometric random walk with consistent high/low."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

MINUTE_MS = 60_000
START_MS = 1_700_000_000_000


def random_bars(n: int, seed: int, *, vol: float = 0.01, start: float = 100.0) -> npt.NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(0, vol, n)))
    open_ = np.concatenate(([start], close[:-1])) * np.exp(rng.normal(0, vol / 5, n))  # small gaps
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, vol / 2, n)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, vol / 2, n)))
    times = START_MS + MINUTE_MS * np.arange(n)
    return np.column_stack([times, open_, high, low, close, rng.uniform(1, 100, n)])
