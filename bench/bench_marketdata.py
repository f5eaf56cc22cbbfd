"""Market data: kline aggregation speed (against pandas resample), persistence, kline queries.

Runs against the local database under the exchange id "bench" (its rows are deleted
afterwards). Trades come from the simulated exchange.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import msgspec

from bench import django_env
from bench.result import Result, percentile

BENCH = "bench"
TRADES = 200_000
PERSIST_BATCHES = 15
BATCH = 10_000
QUERY_SYMBOLS = 100
QUERY_DAYS = 30
QUERY_RUNS = 200


def _trades(n: int, seed: int, symbol: str = "BTC-USDT") -> list:  # type: ignore[type-arg]
    from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
    from backend.engine.sim.markets import DEFAULT_MARKETS

    market = replace(DEFAULT_MARKETS[symbol], trades_per_s=200.0)  # dense, like a busy exchange
    sim = SimExchange({symbol: market}, seed=seed)
    out = []
    start = DEFAULT_EPOCH_MS + 5_000 * HOUR_MS
    while len(out) < n:
        out.extend(sim.trades(symbol, start, start + HOUR_MS))
        start += HOUR_MS
    return [msgspec.structs.replace(t, exchange=BENCH) for t in out[:n]]


def _aggregation(trades: list) -> tuple[float, float]:  # type: ignore[type-arg]
    import pandas as pd

    from backend.engine.aggregate.klines import fold_trades
    from backend.engine.market.intervals import INTERVALS

    current: dict = {}  # type: ignore[type-arg]
    start = time.perf_counter()
    for i in range(0, len(trades), 1_000):
        fold_trades(current, trades[i : i + 1_000])
    ours = len(trades) / (time.perf_counter() - start)

    rules = {"1s": "1s", "1m": "1min", "3m": "3min", "5m": "5min", "15m": "15min", "30m": "30min", "1h": "1h",
             "2h": "2h", "4h": "4h", "6h": "6h", "12h": "12h", "1d": "1D", "1w": "W-MON"}  # fmt: skip
    frame = pd.DataFrame(
        {"price": [float(t.price) for t in trades], "qty": [float(t.qty) for t in trades]},
        index=pd.to_datetime([t.ts_ms for t in trades], unit="ms", utc=True),
    )
    start = time.perf_counter()
    for interval in INTERVALS:
        resampled = frame.resample(rules[interval], closed="left", label="left")
        resampled["price"].ohlc()
        resampled["qty"].sum()
    pandas_rate = len(trades) / (time.perf_counter() - start)
    return ours, pandas_rate


def _persistence() -> tuple[list[float], float]:
    from backend.marketdata.services import ingest_trades

    # Consecutive slices of one market's stream, as the aggregator receives them.
    stream = _trades(BATCH * PERSIST_BATCHES, seed=100, symbol="ETH-USDT")
    batches = [stream[i * BATCH : (i + 1) * BATCH] for i in range(PERSIST_BATCHES)]
    timings = []
    start = time.perf_counter()
    for batch in batches:
        t0 = time.perf_counter()
        ingest_trades(batch)
        timings.append((time.perf_counter() - t0) * 1000)
    sustained = PERSIST_BATCHES * BATCH / (time.perf_counter() - start)
    return timings, sustained


def _kline_queries() -> dict[str, list[float]]:
    """p99 of 1,000-candle reads from a table holding 30 days of 1m and 1h klines for
    100 symbols (4.4M rows), generated server-side so seeding stays quick."""
    from django.db import connection

    from backend.marketdata import selectors
    from backend.marketdata.partitions import ensure_partitions
    from backend.marketdata.writer import datetime_from_ms

    end = 1_790_000_000_000 // 3_600_000 * 3_600_000
    start = end - QUERY_DAYS * 86_400_000
    with connection.cursor() as wrapper:
        ensure_partitions(wrapper.cursor, "md_kline", start, end, dbname=connection.settings_dict["NAME"])
        for interval, step in (("1m", "1 minute"), ("1h", "1 hour")):
            wrapper.cursor.execute(
                "INSERT INTO md_kline (exchange, symbol, interval, open_time, open, high, low, close, volume,"
                " quote_volume, trades, first_ts, first_id, last_ts, last_id)"
                " SELECT %s, 'S' || s || '-USDT', %s, t, 100.5, 101, 100, 100.7, 3.25, 326.6, 17, 0, 1, 0, 2"
                " FROM generate_series(1, %s) s, generate_series(%s::timestamptz, %s::timestamptz - %s::interval,"
                " %s::interval) t",
                [BENCH, interval, QUERY_SYMBOLS, datetime_from_ms(start), datetime_from_ms(end), step, step],
            )
        wrapper.cursor.execute("ANALYZE md_kline")
    timings: dict[str, list[float]] = {"1m": [], "1h": []}
    for interval, available in (("1m", QUERY_DAYS * 1_440), ("1h", QUERY_DAYS * 24)):
        for i in range(QUERY_RUNS):
            symbol = f"S{1 + i * 37 % QUERY_SYMBOLS}-USDT"
            offset = (i * 7_919 % max(available - 1_000, 1)) * (60_000 if interval == "1m" else 3_600_000)
            t0 = time.perf_counter()
            rows = selectors.kline_rows(  # what GET /api/v1/market/klines runs
                exchange=BENCH,
                symbol=symbol,
                interval=interval,
                start_ms=start + offset,
                end_ms=None,
                limit=1_000,
                floor_ms=0,
            )
            timings[interval].append((time.perf_counter() - t0) * 1000)
            assert len(rows) == min(1_000, available), (interval, len(rows))
    return timings


def _cleanup() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM md_trade WHERE exchange = %s", [BENCH])
        cursor.execute("DELETE FROM md_kline WHERE exchange = %s", [BENCH])


def run() -> Iterator[Result]:
    django_env.setup()
    _cleanup()
    try:
        ours, pandas_rate = _aggregation(_trades(TRADES, seed=1))
        persist_ms, sustained = _persistence()
        query_ms = _kline_queries()
    finally:
        _cleanup()
    yield Result(
        "aggregation into all 13 intervals, 1 core",
        ours,
        "trades/s",
        "issue 4 goal: ≥ 5,000,000 trades/s",
        5_000_000,
    )
    yield Result("pandas resample, same trades, 13 intervals (floats)", pandas_rate, "trades/s")
    yield Result("aggregation vs pandas resample", ours / pandas_rate, "x")
    yield Result(
        "persist a 10,000-trade batch (COPY + dedupe + kline deltas) p99",
        percentile(persist_ms, 99),
        "ms",
        "issue 4 goal: ≤ 15 ms p99 (Go reference: < 20 ms)",
        15,
        higher_is_better=False,
    )
    yield Result("persist a 10,000-trade batch p50", percentile(persist_ms, 50), "ms")
    yield Result("persistence sustained", sustained, "rows/s", "issue 4 goal: ≥ 800,000 rows/s", 800_000)
    yield Result(
        f"1,000 1m klines query over {QUERY_DAYS} d x {QUERY_SYMBOLS} symbols p99",
        percentile(query_ms["1m"], 99),
        "ms",
        "issue 4 goal: p99 < 20 ms",
        20,
        higher_is_better=False,
    )
    yield Result(
        f"{QUERY_DAYS * 24} 1h klines query (all of {QUERY_DAYS} d) x {QUERY_SYMBOLS} symbols p99",
        percentile(query_ms["1h"], 99),
        "ms",
        "issue 4 goal: p99 < 20 ms",
        20,
        higher_is_better=False,
    )
