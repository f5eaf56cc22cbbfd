"""Is a backtest's result luck or structure? Monte Carlo resampling of trades and walk-forward splits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """Outcomes of `simulations` resampled trade sequences, each `trades_per_path` trades long."""

    simulations: int
    trades_per_path: int
    final_equity: npt.NDArray[np.float64]  # one per simulation
    max_drawdown: npt.NDArray[np.float64]  # one per simulation, fraction of the running peak

    def final_equity_percentiles(self) -> dict[int, float]:
        return _percentiles(self.final_equity)

    def max_drawdown_percentiles(self) -> dict[int, float]:
        return _percentiles(self.max_drawdown)

    def probability_of_loss(self, initial_equity: float) -> float:
        return float(np.mean(self.final_equity < initial_equity))

    def as_dict(self) -> dict[str, object]:
        return {
            "simulations": self.simulations,
            "trades_per_path": self.trades_per_path,
            "final_equity": {str(k): v for k, v in self.final_equity_percentiles().items()},
            "max_drawdown": {str(k): v for k, v in self.max_drawdown_percentiles().items()},
        }


def bootstrap_trades(
    trade_returns: Sequence[float],
    *,
    initial_equity: float = 1.0,
    simulations: int = 1000,
    trades_per_path: int | None = None,
    rng: np.random.Generator | int = 0,
) -> Bootstrap:
    """Resample trade returns with replacement and compound them into equity paths.

    Each path is initial_equity * prod(1 + r_i) over `trades_per_path` (default: as many
    as were given) returns drawn uniformly with replacement; its max drawdown is measured on
    the trade-by-trade equity including the starting point. A seed or a numpy Generator
    makes it reproducible. Returns below -1 (losing more than the stake) are clipped to -1.
    """
    returns = np.clip(np.asarray(trade_returns, dtype=np.float64), -1.0, None)
    if returns.size == 0:
        raise ValueError("no trades to resample")
    if not np.all(np.isfinite(returns)):
        raise ValueError("trade returns must be finite")
    if simulations < 1:
        raise ValueError("simulations must be at least 1")
    length = returns.size if trades_per_path is None else trades_per_path
    if length < 1:
        raise ValueError("trades_per_path must be at least 1")
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    draws = returns[generator.integers(0, returns.size, size=(simulations, length))]
    paths = initial_equity * np.cumprod(1.0 + draws, axis=1)
    paths = np.concatenate([np.full((simulations, 1), initial_equity), paths], axis=1)
    peaks = np.maximum.accumulate(paths, axis=1)
    drawdowns = 1.0 - np.divide(paths, peaks, out=np.zeros_like(paths), where=peaks > 0)
    return Bootstrap(simulations, length, paths[:, -1].astype(np.float64), drawdowns.max(axis=1).astype(np.float64))


def _percentiles(values: npt.NDArray[np.float64]) -> dict[int, float]:
    return {p: float(v) for p, v in zip(PERCENTILES, np.percentile(values, PERCENTILES), strict=True)}


@dataclass(frozen=True, slots=True)
class Split:
    """Index ranges into a bar series: fit on `train`, evaluate on `test`, which follows it."""

    number: int
    train: range
    test: range


def walk_forward_splits(
    n: int, *, train: int, test: int, step: int | None = None, anchored: bool = False, partial_last: bool = False
) -> list[Split]:
    """Consecutive train/test windows over n bars.

    Rolling (default): train = [s, s + train), test = [s + train, s + train + test), s
    advancing by `step` (default: `test`, so test windows tile without overlap).
    Anchored: every train window starts at 0 and grows to the same end.
    A last test window shorter than `test` is dropped unless partial_last.
    """
    if train < 1 or test < 1:
        raise ValueError("train and test must be at least 1 bar")
    step = test if step is None else step
    if step < 1:
        raise ValueError("step must be at least 1 bar")
    splits: list[Split] = []
    start = 0
    while start + train < n:
        test_end = start + train + test
        if test_end > n and not partial_last:
            break
        splits.append(
            Split(len(splits), range(0 if anchored else start, start + train), range(start + train, min(test_end, n)))
        )
        start += step
    return splits


def run_walk_forward(splits: Sequence[Split], evaluate: Callable[[Split], T]) -> list[T]:
    """evaluate(split) for every split, in order (the caller slices its data by split.train / split.test)."""
    return [evaluate(split) for split in splits]
