from __future__ import annotations

import random

import pytest
from django.db import connection

from backend.engine.aggregate.klines import aggregate
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from backend.marketdata import selectors
from backend.marketdata.services import LatenessGate, ingest_trades
from backend.marketdata.writer import datetime_from_ms

pytestmark = pytest.mark.usefixtures("md_tables")
START = DEFAULT_EPOCH_MS + 7_000 * HOUR_MS + 3_456_789  # late 2026, crossing an hour and a month edge soon


def sim_trades(symbol: str, minutes: int, seed: int = 5) -> list:  # type: ignore[type-arg]
    return list(SimExchange(DEFAULT_MARKETS, seed=seed).trades(symbol, START, START + minutes * 60_000))


def stored_klines(symbol: str) -> dict:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT exchange, interval, open_time FROM md_kline WHERE symbol = %s ORDER BY interval, open_time",
            [symbol],
        )
        keys = cursor.fetchall()
    out = {}
    for exchange, interval, open_time in keys:
        [k] = selectors.klines(
            exchange=exchange, symbol=symbol, interval=interval, start_ms=int(open_time.timestamp() * 1000),
            end_ms=int(open_time.timestamp() * 1000), limit=1,
        )  # fmt: skip
        out[(interval, k.open_time)] = k
    return out


def test_replayed_batches_store_nothing_twice() -> None:
    trades = sim_trades("BTC-USDT", 3)
    first = ingest_trades(trades)
    again = ingest_trades(trades)
    assert first.stored == len(trades) and first.duplicates == 0
    assert again.stored == 0 and again.duplicates == len(trades) and again.klines == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM md_trade")
        assert cursor.fetchone() == (len(trades),)


def test_a_racing_writer_sends_the_batch_through_the_conflict_safe_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.marketdata import writer

    trades = sim_trades("SOL-USDT", 4)
    half = len(trades) // 2
    ingest_trades(trades[:half])
    # As if another writer stored the first half after this one looked: the fast COPY
    # meets the unique key, and the batch must fall back without losing or doubling.
    monkeypatch.setattr(writer, "_stored_keys", lambda cursor, batch: set())
    result = ingest_trades(trades)
    assert result.stored == len(trades) - half and result.duplicates == half
    assert stored_klines("SOL-USDT") == aggregate(trades)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM md_trade")
        assert cursor.fetchone() == (len(trades),)


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_klines_equal_the_reference_however_batches_are_split_replayed_or_reordered(seed: int) -> None:
    trades = sim_trades("ETH-USDT", 130, seed)
    rng = random.Random(seed)
    batches = []
    position = 0
    while position < len(trades):
        size = rng.randint(1, 400)
        batches.append(trades[position : position + size])
        position += size
    batches += rng.sample(batches, k=min(5, len(batches)))  # redeliveries
    rng.shuffle(batches)  # out of order: late trades correct earlier klines
    for batch in batches:
        ingest_trades(batch)
    assert stored_klines("ETH-USDT") == aggregate(trades)


def test_trades_across_a_month_boundary_get_their_partitions() -> None:
    boundary = 1_796_083_200_000  # 2026-12-01T00:00:00Z
    trades = list(SimExchange(DEFAULT_MARKETS, seed=3).trades("SOL-USDT", boundary - 30_000, boundary + 30_000))
    assert ingest_trades(trades).stored == len(trades)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM md_trade_y2026m11")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM md_trade_y2026m12")
        after = cursor.fetchone()[0]
    assert before and after and before + after == len(trades)


def test_lateness_gate_passes_the_window_and_drops_beyond() -> None:
    trades = sim_trades("BTC-USDT", 2)
    gate = LatenessGate(window_ms=5_000)
    kept, dropped = gate.split(trades[-10:])
    assert len(kept) == 10 and not dropped
    newest = trades[-1].ts_ms
    late_ok = [t for t in trades if newest - 5_000 <= t.ts_ms < trades[-10].ts_ms][:3]
    too_late = [t for t in trades if t.ts_ms < newest - 5_000][:3]
    kept, dropped = gate.split(late_ok + too_late)
    assert kept == late_ok and dropped == too_late


def test_timestamps_round_trip_to_the_millisecond() -> None:
    for ms in (1, 999, 1_795_259_213_123, 1_795_259_213_999):
        assert int((datetime_from_ms(ms) - datetime_from_ms(0)).total_seconds() * 1000 + 0.5) == ms


def test_a_trade_repeated_within_one_batch_counts_once() -> None:
    trades = sim_trades("SOL-USDT", 1)
    result = ingest_trades(trades + trades[:10])
    assert result.stored == len(trades) and result.duplicates == 10
    assert stored_klines("SOL-USDT") == aggregate(trades)


def test_imported_minutes_make_every_coarser_interval_queryable() -> None:
    from backend.engine.aggregate.klines import rollup
    from backend.engine.sim.history import minute_klines
    from backend.marketdata.services import import_klines

    sim = SimExchange(DEFAULT_MARKETS, seed=8)
    minutes = list(minute_klines(sim, "SOL-USDT", START, START + 3 * HOUR_MS))
    import_klines(minutes, interval="1m")
    import_klines(minutes, interval="1m")  # re-import replaces, never adds up
    stored = stored_klines("SOL-USDT")
    assert {iv for iv, _ in stored} == {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d", "1w"}
    for k in rollup(minutes, "1h"):
        assert stored[("1h", k.open_time)] == k


def test_an_import_beside_stored_minutes_leaves_whole_coarser_windows() -> None:
    from backend.engine.aggregate.klines import rollup
    from backend.engine.sim.history import minute_klines
    from backend.marketdata.services import import_klines

    sim = SimExchange(DEFAULT_MARKETS, seed=9)
    minutes = list(minute_klines(sim, "SOL-USDT", START, START + 5 * HOUR_MS))
    cut = len(minutes) * 3 // 5  # inside an hour, a day and a week
    import_klines(minutes[:cut], interval="1m")
    import_klines(minutes[cut:], interval="1m")  # a gap filled later
    stored = stored_klines("SOL-USDT")
    for interval in ("5m", "1h", "4h", "1d", "1w"):
        for k in rollup(minutes, interval):
            assert stored[(interval, k.open_time)] == k, (interval, k.open_time)


def test_retention_drops_only_partitions_past_the_horizon() -> None:
    from backend.marketdata.partitions import drop_expired, ensure_partitions

    jan, may = 1_767_225_600_000, 1_777_593_600_000  # 2026-01-01, 2026-05-01
    with connection.cursor() as wrapper:
        ensure_partitions(wrapper.cursor, "md_trade", jan, may, dbname="x")
        now = may + 86_400_000  # 2026-05-02
        dropped = drop_expired(wrapper.cursor, "md_trade", keep_days=60, now_ms=now)
        assert dropped == ["md_trade_y2026m01", "md_trade_y2026m02"]
        assert drop_expired(wrapper.cursor, "md_trade", keep_days=0, now_ms=now) == []
        wrapper.cursor.execute("SELECT to_regclass('md_trade_y2026m03'), to_regclass('md_trade_y2026m01')")
        assert wrapper.cursor.fetchone() == ("md_trade_y2026m03", None)
