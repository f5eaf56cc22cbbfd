"""Simulated exchange: how fast the generator makes trades on one core.

Six fresh hours of each default market (segment cache cleared, a new seed per run);
best of 3 runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from backend.engine.sim import generator
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from bench.result import Result, timeit

HOURS = 6
REPEAT = 3


def run() -> Iterator[Result]:
    start_ms = DEFAULT_EPOCH_MS + 10 * HOUR_MS
    end_ms = start_ms + HOURS * HOUR_MS
    counts: list[int] = []
    seeds = iter(range(1, REPEAT + 1))

    def generate() -> None:
        # Segments are lru_cached: a fresh seed and an empty cache make every run do the work.
        sim = SimExchange(DEFAULT_MARKETS, seed=next(seeds))
        counts.append(sum(len(list(sim.trades(symbol, start_ms, end_ms))) for symbol in DEFAULT_MARKETS))

    times_ns = timeit(generate, repeat=REPEAT, setup=generator._segment.cache_clear)
    generator._segment.cache_clear()
    best = max(n / (t / 1e9) for n, t in zip(counts, times_ns, strict=True))
    yield Result(
        "trades generated per second (1 core)",
        best,
        "trades/s",
        "platform goal: sim rate configurable up to 100,000 trades/s",
        100_000,
    )
    sim_seconds = HOURS * 3600
    yield Result(
        f"simulated time per wall second ({len(DEFAULT_MARKETS)} default markets)",
        max(sim_seconds / (t / 1e9) for t in times_ns),
        "x real time",
    )
    yield Result("trades per run", sum(counts) / len(counts), "trades")
