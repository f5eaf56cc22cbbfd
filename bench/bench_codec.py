"""Bus wire format: encoding and decoding batches of 1,000 trades with msgspec.

Trades come from the simulated exchange; every trade carries two decimal strings (price,
quantity) that decode to Decimal. Best of 5 passes over 100 batches.
"""

from __future__ import annotations

from collections.abc import Iterator

from backend.engine.market.codec import decode_trades, encode_trades
from backend.engine.market.trade import Trade
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from bench.result import Result, timeit

BATCH = 1_000
BATCHES = 100
REPEAT = 5


def sample_batches(n_batches: int = BATCHES, batch: int = BATCH, seed: int = 11) -> list[list[Trade]]:
    """n_batches of sim trades, mixing the default markets so symbols and price scales vary."""
    sim = SimExchange(DEFAULT_MARKETS, seed=seed)
    start_ms = DEFAULT_EPOCH_MS + 20 * HOUR_MS
    trades: list[Trade] = []
    hours = 0
    while len(trades) < n_batches * batch:
        window = (start_ms + hours * HOUR_MS, start_ms + (hours + 1) * HOUR_MS)
        trades += sorted((t for s in DEFAULT_MARKETS for t in sim.trades(s, *window)), key=lambda t: t.ts_ms)
        hours += 1
    return [trades[i * batch : (i + 1) * batch] for i in range(n_batches)]


def run() -> Iterator[Result]:
    batches = sample_batches()
    payloads = [encode_trades(b) for b in batches]
    # A fast codec that loses data is no benchmark: the round trip must be exact.
    if [decode_trades(p) for p in payloads] != batches:
        raise AssertionError("decode(encode(trades)) differs from the trades")
    n_trades = BATCHES * BATCH

    encode_ns = min(timeit(lambda: [encode_trades(b) for b in batches], repeat=REPEAT))
    decode_ns = min(timeit(lambda: [decode_trades(p) for p in payloads], repeat=REPEAT))
    yield Result("encode, 1,000-trade batches", n_trades / (encode_ns / 1e9), "trades/s")
    yield Result(
        "decode, 1,000-trade batches",
        n_trades / (decode_ns / 1e9),
        "trades/s",
        "peer: msgspec decodes a Binance trade at 2.7M/s (measured here)",
        2_700_000,
    )
    yield Result("encoded size", sum(map(len, payloads)) / n_trades, "bytes/trade")
