"""The validation data set: a seeded random walk of bars, identical on every machine and run."""

from __future__ import annotations

import numpy as np

from backend.engine.strategy.protocol import BAR_COLUMNS, Bars

MINUTE_MS = 60_000
START_MS = 1_700_000_000_000 - 1_700_000_000_000 % MINUTE_MS


def random_walk_bars(n: int, seed: int = 7, start_price: float = 100.0) -> Bars:
    """n one-minute bars whose closes follow a geometric random walk with regime changes."""
    rng = np.random.default_rng(seed)
    # Drift flips every few hundred bars so trend-following and mean-reverting rules both trade.
    drift = np.repeat(rng.normal(0, 0.0004, n // 200 + 1), 200)[:n]
    returns = drift + rng.normal(0, 0.002, n)
    close = start_price * np.exp(np.cumsum(returns))
    open_ = np.concatenate([[start_price], close[:-1]])
    spread = np.abs(rng.normal(0, 0.001, n)) * close
    bars = np.empty((n, BAR_COLUMNS), dtype=np.float64)
    bars[:, 0] = START_MS + MINUTE_MS * np.arange(n, dtype=np.float64)
    bars[:, 1] = open_
    bars[:, 2] = np.maximum(open_, close) + spread
    bars[:, 3] = np.minimum(open_, close) - spread
    bars[:, 4] = close
    bars[:, 5] = rng.gamma(2.0, 50.0, n)
    return bars
