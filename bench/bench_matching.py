"""Paper engine matching: a mixed stream of order submissions, cancels and trade prints on one core.

20 markets, 200 margin accounts each trading 2 of them, about 5,000 resting limit orders
(the engine's cost per print does not depend on how many there are elsewhere); the stream is 40 %
limit submissions (a tenth of them marketable), 15 % cancels, 5 % market orders and
40 % trade prints from a random walk per market (up to 3 ticks a print), each print
filling whatever rests at or through its price (its quantity permitting). Every call is one
"order event"; its wall time is
measured alone (perf_counter_ns around the call) for the percentiles, and the whole
stream is timed in one go for the throughput. All arithmetic is Decimal, as in production.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import Side, Trade
from backend.engine.trading import AccountConfig, Fill, MarketSpec, OrderRequest, OrderType, PaperEngine
from bench.result import Result, percentile

MARKETS = 20
ACCOUNTS = 200
WARM_ORDERS = 5_000
EVENTS = 100_000
TICK = Decimal("0.01")
LOT = Decimal("0.001")
EX = "bench"


def build(seed: int = 7) -> tuple[PaperEngine, list[Callable[[], object]]]:
    rng = random.Random(seed)
    engine = PaperEngine()
    symbols = [f"C{i}-USDT" for i in range(MARKETS)]
    for s in symbols:
        engine.add_market(MarketSpec(Instrument(EX, s, TICK, LOT)))
    accounts = [f"acc{i}" for i in range(ACCOUNTS)]
    for a in accounts:
        engine.open_account(a, AccountConfig(EX, margin=True, leverage=Decimal(50)), Decimal(10_000_000))
    mids = dict.fromkeys(symbols, 10000)  # in ticks: 100.00
    trade_id = 0
    for s in symbols:
        trade_id += 1
        engine.on_trade(Trade(EX, s, trade_id, 1, Decimal(mids[s]) * TICK, Decimal(1), Side.BUY, 1))

    def limit_request(s: str, marketable: bool) -> OrderRequest:
        side = rng.choice((Side.BUY, Side.SELL))
        away = rng.randint(1, 200) * (-1 if marketable else 1)
        ticks = mids[s] - away if side is Side.BUY else mids[s] + away
        qty = Decimal(rng.randint(1, 2_000)) * LOT
        return OrderRequest(s, side, qty, OrderType.LIMIT, price=Decimal(ticks) * TICK)

    # Each account trades two markets, like a typical paper-trading user.
    trades_in = {a: rng.sample(symbols, 2) for a in accounts}
    for _ in range(WARM_ORDERS):
        a = rng.choice(accounts)
        engine.submit(a, limit_request(rng.choice(trades_in[a]), False))

    calls: list[Callable[[], object]] = []
    open_ids: list[tuple[str, str]] = [(o.account_id, o.order_id) for a in accounts for o in engine.open_orders(a)]
    for n in range(EVENTS):
        r = rng.random()
        a = rng.choice(accounts)
        s = rng.choice(trades_in[a]) if r < 0.60 else rng.choice(symbols)
        if r < 0.40:
            req = limit_request(s, rng.random() < 0.1)
            calls.append(lambda a=a, req=req: engine.submit(a, req))
        elif r < 0.55 and open_ids:
            acc, oid = open_ids.pop(rng.randrange(len(open_ids)))
            calls.append(lambda acc=acc, oid=oid: engine.cancel(acc, oid))
        elif r < 0.60:
            req = OrderRequest(
                s, rng.choice((Side.BUY, Side.SELL)), Decimal(rng.randint(1, 500)) * LOT, OrderType.MARKET
            )
            calls.append(lambda a=a, req=req: engine.submit(a, req))
        else:
            mids[s] += rng.randint(-3, 3)  # prints move a few ticks, as tick-by-tick trades do
            trade_id += 1
            t = Trade(EX, s, trade_id, 1_000 + n, Decimal(mids[s]) * TICK, Decimal(rng.randint(1, 5_000)) * LOT,
                      rng.choice((Side.BUY, Side.SELL)), 1_000 + n)  # fmt: skip
            calls.append(lambda t=t: engine.on_trade(t))
    return engine, calls


def _prepared() -> tuple[PaperEngine, list[Callable[[], object]]]:
    engine, calls = build()
    # A long-running worker freezes its loaded state out of the cyclic collector's reach
    # (gc.freeze after start-up); otherwise each full collection rescans every order.
    gc.collect()
    gc.freeze()
    return engine, calls


def run() -> Iterator[Result]:
    # Throughput: the stream in one timed loop.
    _, calls = _prepared()
    start = time.perf_counter_ns()
    for call in calls:
        call()
    elapsed = time.perf_counter_ns() - start
    yield Result(
        "order events (submit / cancel / trade print), one core",
        len(calls) / (elapsed / 1e9),
        "events/s",
        "goal: 200,000 events/s",
        200_000,
    )
    # Latency: the same stream on a fresh engine, each call timed alone.
    engine, calls = _prepared()
    samples = []
    clock = time.perf_counter_ns
    fill_count = [0]
    for call in calls:
        t0 = clock()
        out = call()
        samples.append((clock() - t0) / 1_000)
        events = out if isinstance(out, list) else getattr(out, "events", [])
        fill_count[0] += sum(1 for e in events if isinstance(e, Fill))
    yield Result("per-event latency p50", percentile(samples, 50), "µs", "", None, higher_is_better=False)
    yield Result("per-event latency p99", percentile(samples, 99), "µs", "goal: 50 µs", 50.0, higher_is_better=False)
    yield Result("per-event latency max", max(samples), "µs", "", None, higher_is_better=False)
    resting = sum(len(engine.open_orders(f"acc{i}")) for i in range(ACCOUNTS))
    yield Result("orders resting at the end", resting, "orders")
    yield Result("fills in the stream", fill_count[0], "fills")
    gc.unfreeze()
