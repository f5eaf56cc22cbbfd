"""The one shape every strategy has, whether Python reference code or a WebAssembly module.

It mirrors the sandbox ABI (docs/strategy-abi.md): bars go in as rows of six float64
[open_time_ms, open, high, low, close, volume]; one target exposure per bar comes out, a
fraction of account equity in [-1, 1], NaN meaning "keep what you hold". Feeding N bars in
one call must give the same outputs as N calls of one bar, so a backtest (large batches)
and a live deployment (one bar at a time) see the same decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import numpy.typing as npt

BAR_COLUMNS = 6
OPEN_TIME, OPEN, HIGH, LOW, CLOSE, VOLUME = range(BAR_COLUMNS)

Bars = npt.NDArray[np.float64]  # shape (n, 6)
Exposures = npt.NDArray[np.float64]  # shape (n,)


class Strategy(Protocol):
    """A stateful decision maker fed closed bars in time order."""

    @property
    def warmup_bars(self) -> int:
        """Bars needed before the outputs mean anything (outputs before that are NaN)."""
        ...

    def on_bars(self, bars: Bars) -> Exposures:
        """Target exposure for each bar, decided at that bar's close."""
        ...


class StrategyFactory(Protocol):
    """Builds a fresh strategy from parameters (validated against its declared ranges)."""

    def __call__(self, params: Mapping[str, float]) -> Strategy: ...
