"""From a strategy's per-bar target exposures to the rebalancing decisions a backtest executes.

The portfolio is rebalanced when the target changes, not on every bar: a strategy that
says "+1" for 500 bars in a row holds one position, rather than trading a sliver on each
bar as equity drifts (which would only pay fees). NaN means "keep": it carries the
previous target forward. Spot accounts cannot short, so negative targets become 0.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def rebalance_targets(exposures: FloatArray, *, allow_short: bool) -> FloatArray:
    """Per bar: the new target exposure decided at that bar's close, NaN where nothing changes."""
    e = np.asarray(exposures, dtype=np.float64)
    if e.ndim != 1:
        raise ValueError(f"exposures must be one-dimensional, got shape {e.shape}")
    e = np.clip(e, -1.0 if allow_short else 0.0, 1.0)  # NaN passes through clip
    n = e.shape[0]
    if n == 0:
        return e.copy()
    known = ~np.isnan(e)
    # forward fill: the index of the last known value at or before each bar
    last = np.where(known, np.arange(n), -1)
    np.maximum.accumulate(last, out=last)
    filled = np.where(last >= 0, e[np.maximum(last, 0)], np.nan)
    prev = np.concatenate(([np.nan], filled[:-1]))
    changed = known & ((filled != prev) | np.isnan(prev))
    return np.where(changed, filled, np.nan)
