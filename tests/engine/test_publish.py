from __future__ import annotations

from decimal import Decimal

from backend.engine.aggregate.klines import Kline
from backend.engine.aggregate.publish import KlinePublisher

T0 = 1_795_259_400_000  # a minute boundary


def kline(open_time: int, close: str = "1", trades: int = 1) -> Kline:
    price = Decimal(close)
    return Kline("sim", "BTC-USDT", "1m", open_time, price, price, price, price, Decimal(1), price, trades)


def test_first_update_goes_out_at_once_later_ones_throttled_latest_wins() -> None:
    pub = KlinePublisher(throttle_ms=250, close_grace_ms=2_000)
    assert [e.kline.trades for e in pub.update(kline(T0, trades=1), now_ms=T0 + 10)] == [1]
    assert pub.update(kline(T0, trades=2), now_ms=T0 + 100) == []
    assert pub.update(kline(T0, trades=3), now_ms=T0 + 200) == []
    assert pub.tick(now_ms=T0 + 240) == []
    [event] = pub.tick(now_ms=T0 + 261)
    assert event.kline.trades == 3 and not event.closed
    assert pub.tick(now_ms=T0 + 600) == []  # nothing new


def test_a_new_window_closes_the_previous_with_its_final_state() -> None:
    pub = KlinePublisher(throttle_ms=250)
    pub.update(kline(T0, trades=1), now_ms=T0)
    pub.update(kline(T0, trades=9), now_ms=T0 + 50)  # throttled, not sent
    closed, opened = pub.update(kline(T0 + 60_000, trades=1), now_ms=T0 + 60_001)
    assert closed.closed and closed.kline.trades == 9 and not closed.revision
    assert not opened.closed and opened.kline.open_time == T0 + 60_000


def test_quiet_markets_close_after_the_grace() -> None:
    pub = KlinePublisher(throttle_ms=250, close_grace_ms=2_000)
    pub.update(kline(T0), now_ms=T0)
    assert pub.tick(now_ms=T0 + 61_000) == []
    [event] = pub.tick(now_ms=T0 + 62_000)
    assert event.closed


def test_updates_to_closed_windows_are_revisions() -> None:
    pub = KlinePublisher()
    pub.update(kline(T0), now_ms=T0)
    pub.update(kline(T0 + 60_000), now_ms=T0 + 60_000)
    [event] = pub.update(kline(T0, trades=2), now_ms=T0 + 61_000)
    assert event.closed and event.revision and event.kline.trades == 2
