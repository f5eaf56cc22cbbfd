"""The base of the reference strategies: each decision is a pure function of a fixed window of bars.

Recursive indicators (EMA, Wilder's RSI) depend on where their input began, so computing
them over "all history so far" would make a backtest (one big batch) and a live
deployment (one bar per call) disagree. Here bar i is decided from exactly the `window`
bars ending at i (plus the strategy's own position after bar i-1), whatever the batch
sizes, so outputs are identical under any chunking and only window - 1 bars are kept.
Windows of recursive indicators are long enough for the seed to have decayed (see
backend.engine.indicators.ema_settle).
"""

from __future__ import annotations

import math

import numpy as np

from backend.engine.strategy.protocol import BAR_COLUMNS, Bars, Exposures


class WindowStrategy:
    """Subclasses implement decide(window, position) -> new target in [-1, 1], or NaN to keep."""

    def __init__(self, window: int) -> None:
        if window < 1:
            raise ValueError("window must be at least one bar")
        self._window = window
        self._history = np.empty((0, BAR_COLUMNS), dtype=np.float64)
        self._position = 0.0

    @property
    def warmup_bars(self) -> int:
        return self._window

    def decide(self, window: Bars, position: float) -> float:
        raise NotImplementedError

    def on_bars(self, bars: Bars) -> Exposures:
        bars = np.asarray(bars, dtype=np.float64)
        if bars.ndim != 2 or bars.shape[1] != BAR_COLUMNS:
            raise ValueError(f"bars must have shape (n, {BAR_COLUMNS}), got {bars.shape}")
        n = bars.shape[0]
        out = np.full(n, np.nan, dtype=np.float64)
        if n == 0:
            return out
        rows = np.concatenate([self._history, bars]) if self._history.shape[0] else bars
        offset = self._history.shape[0]
        w = self._window
        for j in range(n):
            end = offset + j + 1
            if end < w:
                continue  # still warming up: fewer than `window` bars seen in total
            target = self.decide(rows[end - w : end], self._position)
            if not math.isnan(target):
                self._position = target
            out[j] = self._position
        self._history = rows[-(w - 1) :].copy() if w > 1 else rows[:0].copy()
        return out
