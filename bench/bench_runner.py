"""Live deployments: 10,000 running deployments on one symbol and interval, one closed bar.

Measures what the strategy_runner does when a kline closes, in process on one core: feed
the bar to every deployment's sandboxed instance (the built-in AssemblyScript SMA crossover,
parameters varied so the deployments disagree), combine and size, and compute the order
quantity of every deployment whose target changed. The bus and database round trips that
follow are per decision, not per deployment, and are not part of this number.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np

from backend.engine.live import LiveDeployment, Member, evaluate_all, parse_sizing
from backend.engine.sandbox import Sandbox, SandboxLimits, parse_manifest
from backend.engine.sandbox.data import random_walk_bars
from bench.result import Result, percentile

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "strategies" / "build"
DEPLOYMENTS = 10_000
WARMUP_BARS = 60
LIVE_BARS = 30
EQUITY = Decimal(10_000)
LOT = Decimal("0.00001")


def _deployments(n: int) -> list[tuple[int, LiveDeployment]]:
    sandbox = Sandbox(SandboxLimits(), None)
    manifest = parse_manifest(json.loads((BUILD / "sma_cross.json").read_text()))
    module = sandbox.compile((BUILD / "sma_cross.wasm").read_bytes())
    out = []
    for i in range(n):
        params = {"fast": 2 + i % 10, "slow": 15 + i % 30, "allow_short": i % 2}
        strategy = sandbox.instantiate(module, manifest, params)
        out.append((i, LiveDeployment([Member(strategy, 1.0)], parse_sizing("fixed_fraction", {}), allow_short=True)))
    return out


def evaluate_bar(deployments: list[tuple[int, LiveDeployment]], bar: np.ndarray) -> int:
    """One bar through every deployment, and the order of each that changed its target."""
    decisions, failures = evaluate_all(deployments, bar)
    assert not failures
    price = Decimal(repr(float(bar[0, 4])))
    by_id = dict(deployments)
    orders = 0
    for did, decision in decisions:
        if by_id[did].order_qty(decision.target, EQUITY, price, LOT):
            orders += 1
    return orders


def run(n: int = DEPLOYMENTS) -> Iterator[Result]:
    bars = random_walk_bars(WARMUP_BARS + LIVE_BARS, seed=3)
    started = time.perf_counter()
    deployments = _deployments(n)
    for _, d in deployments:
        d.warm(bars[:WARMUP_BARS])
    build_s = time.perf_counter() - started
    gc.collect()
    times, orders = [], []
    for i in range(WARMUP_BARS, WARMUP_BARS + LIVE_BARS):
        bar = bars[i : i + 1]
        start = time.perf_counter_ns()
        orders.append(evaluate_bar(deployments, bar))
        times.append(time.perf_counter_ns() - start)
    ms = [t / 1e6 for t in times]
    yield Result(
        f"live: {n:,} deployments on one market, one closed bar -> order deltas (median of {LIVE_BARS} bars, "
        f"{int(np.mean(orders))} orders per bar on average)",
        percentile(ms, 50),
        "ms",
        "goal: all evaluated within 250 ms of the close, one core",
        250.0,
        higher_is_better=False,
    )
    yield Result(f"live: {n:,} deployments, slowest of {LIVE_BARS} bars", max(ms), "ms", "goal: < 250 ms", 250.0,
                 higher_is_better=False)  # fmt: skip
    yield Result("live: per deployment per bar (median)", percentile(ms, 50) * 1000 / n, "us", higher_is_better=False)
    yield Result(f"live: building and warming {n:,} deployments ({WARMUP_BARS} bars each)", build_s, "s",
                 higher_is_better=False)  # fmt: skip
