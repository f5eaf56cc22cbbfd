"""Live kline views: committed state plus uncommitted batches, never a trade counted twice."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.engine.aggregate.klines import aggregate
from backend.engine.aggregate.live import LiveKlines
from tests.engine.test_klines import BASE_MS, random_trades

INTERVALS = ("1s", "1m", "1h")


def _as_tuple(kline):  # type: ignore[no-untyped-def]
    return (kline.open, kline.high, kline.low, kline.close, kline.volume, kline.quote_volume, kline.trades)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n_batches=st.integers(1, 8), commit_upto=st.integers(0, 8))
def test_view_equals_all_received_trades_whatever_is_committed(seed: int, n_batches: int, commit_upto: int) -> None:
    rng = random.Random(seed)
    trades = random_trades(rng, 300, 180_000)
    rng.shuffle(trades)  # batches arrive in any time order
    batches = [trades[i::n_batches] for i in range(n_batches)]
    live = LiveKlines(trusted_from_ms=BASE_MS - 3_600_000, intervals=INTERVALS)
    stored: list = []  # type: ignore[type-arg]
    views = {}
    for batch_id, batch in enumerate(batches):
        for view in live.add(batch_id, batch):
            views[(view.interval, view.open_time)] = view
        if batch_id < commit_upto:
            # What the database answers after this batch: the full klines of its windows.
            stored += batch
            everything = aggregate(stored, INTERVALS)
            touched = set(aggregate(batch, INTERVALS))
            live.commit([batch_id], [everything[key] for key in touched])
    expected = aggregate(trades, INTERVALS)
    for key, kline in expected.items():
        view = live.view(("binance", "BTC-USDT", *key))
        # Windows older than the newest committed one are closed business (None).
        if view is not None:
            assert _as_tuple(view) == _as_tuple(kline), key
    newest = {iv: max(t for i, t in expected if i == iv) for iv in INTERVALS}
    for interval, open_time in newest.items():
        view = live.view(("binance", "BTC-USDT", interval, open_time))
        assert view is not None
        assert _as_tuple(view) == _as_tuple(expected[(interval, open_time)])


def test_windows_open_before_start_wait_for_a_commit() -> None:
    trades = random_trades(random.Random(3), 50, 30_000)
    live = LiveKlines(trusted_from_ms=BASE_MS + 3_600_000, intervals=INTERVALS)
    # An earlier run may have stored part of these windows: nothing is trusted yet.
    assert live.add(1, trades) == []
    committed = aggregate(trades, INTERVALS)
    live.commit([1], committed.values())
    more = random_trades(random.Random(4), 10, 30_000)
    more = [type(t)(t.exchange, t.symbol, 10_000 + i, t.ts_ms, t.price, t.qty, t.side, 0) for i, t in enumerate(more)]
    views = live.add(2, more)
    assert views, "windows reported by a commit are trusted from then on"
    expected = aggregate(trades + more, INTERVALS)
    for view in views:
        assert _as_tuple(view) == _as_tuple(expected[(view.interval, view.open_time)])


def test_a_batch_that_will_be_redelivered_is_forgotten() -> None:
    trades = random_trades(random.Random(5), 20, 1_000)
    live = LiveKlines(trusted_from_ms=0, intervals=INTERVALS)
    live.add(1, trades)
    live.forget([1])
    assert live.pending_batches == 0
    assert live.view(("binance", "BTC-USDT", "1h", BASE_MS)) is None
