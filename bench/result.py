"""What a benchmark returns, and the two measuring helpers every benchmark shares."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    metric: str
    value: float
    unit: str
    # What the number is compared with: a platform goal or a peer's measurement.
    anchor: str = ""
    anchor_value: float | None = None
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        """> 1 means better than the anchor, whichever direction "better" is."""
        if self.anchor_value is None:
            return None
        if self.higher_is_better:
            return self.value / self.anchor_value
        return self.anchor_value / self.value if self.value else math.inf


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100), interpolating linearly between ranks like numpy's default."""
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timeit(fn: Callable[[], object], *, repeat: int = 1, setup: Callable[[], object] | None = None) -> list[int]:
    """Wall time of each of `repeat` calls of fn, in ns; `setup` runs untimed before each call."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return times
