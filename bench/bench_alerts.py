"""Alert engine: trades/s through the worker's evaluation path with 10,000 active rules over 100 markets.

Rules: per market 100, a mix of price crosses (above/below) and range enter/leave at levels spread
+-5 % around the price, in cooldown mode (60 s), so a trade crosses a few levels at most and most
rules are untouched by most trades. Trades: a random walk of up to 0.05 % steps, in bus batches of 1,000
JSON-encoded trades (what MD_TRADES carries), decoded and evaluated by `alerts.worker.evaluate_batch`
on one core. Best of 3 passes over 200,000 trades.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from bench.django_env import setup
from bench.result import Result, timeit

MARKETS = 100
RULES_PER_MARKET = 100
TRADES = 200_000
BATCH = 1_000


def build() -> tuple[object, list[bytes]]:
    setup()
    import msgspec

    from backend.engine.alerts.conditions import PriceCross, PriceRange
    from backend.engine.alerts.index import AlertEngine
    from backend.engine.alerts.rules import Rule

    rng = random.Random(7)
    engine = AlertEngine()
    rules: list[Rule] = []
    prices = {f"S{i:03d}-USDT": 100.0 * (1 + i) for i in range(MARKETS)}
    rule_id = 0
    for symbol, price in prices.items():
        for k in range(RULES_PER_MARKET):
            rule_id += 1
            level = price * (1 + rng.uniform(-0.05, 0.05))
            condition: PriceCross | PriceRange
            if k % 4 == 3:
                condition = PriceRange("enter" if k % 8 == 3 else "leave", level, level * 1.01)
            else:
                condition = PriceCross("above" if k % 2 else "below", level)
            rules.append(Rule(rule_id, 1 + rule_id % 50, "sim", symbol, None, "trade", condition, "cooldown", 60_000))
    engine.replace_rules(rules)
    symbols = list(prices)
    payloads: list[bytes] = []
    ts = 1_767_225_600_000
    trade_id = 0
    for _ in range(TRADES // BATCH):
        symbol = rng.choice(symbols)
        batch = []
        for _ in range(BATCH):
            trade_id += 1
            ts += 1
            prices[symbol] *= 1 + rng.uniform(-0.0005, 0.0005)
            batch.append(["sim", symbol, trade_id, ts, f"{prices[symbol]:.4f}", "0.01", "buy", ts])
        payloads.append(msgspec.json.encode(batch))
    return engine, payloads


def run() -> Iterator[Result]:
    engine, payloads = build()
    from backend.alerts.worker import evaluate_batch
    from backend.marketdata.aggregator import Partition

    partition = Partition(0, 1)
    fired: list[int] = []

    def once() -> None:
        fired.append(len(evaluate_batch(engine, payloads, partition)))  # type: ignore[arg-type]

    best_ns = min(timeit(once, repeat=3))
    yield Result(
        f"alert engine, {MARKETS * RULES_PER_MARKET:,} rules / {MARKETS} markets (decode + evaluate)",
        TRADES / (best_ns / 1e9),
        "trades/s",
        "goal: 100,000 trades/s on one core",
        100_000,
    )
    per_1000 = fired[0] / (TRADES / 1000)
    yield Result("alert engine firings per 1,000 trades (first pass; cooldown mutes repeats)", per_1000, "firings")
