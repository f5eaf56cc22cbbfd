from __future__ import annotations

from backend.engine.market.intervals import HOUR_MS, MINUTE_MS
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, SimExchange
from backend.engine.sim.history import minute_klines
from backend.engine.sim.markets import DEFAULT_MARKETS

START = DEFAULT_EPOCH_MS + 4_000 * HOUR_MS


def test_history_is_deterministic_well_formed_and_on_tick() -> None:
    sim = SimExchange(DEFAULT_MARKETS, seed=3)
    a = list(minute_klines(sim, "ETH-USDT", START, START + 6 * HOUR_MS))
    b = list(minute_klines(SimExchange(DEFAULT_MARKETS, seed=3), "ETH-USDT", START, START + 6 * HOUR_MS))
    assert a == b and len(a) == 360
    assert [k.open_time for k in a] == list(range(START, START + 6 * HOUR_MS, MINUTE_MS))
    tick = DEFAULT_MARKETS["ETH-USDT"].instrument.tick_size
    for k in a:
        assert k.low <= min(k.open, k.close) <= max(k.open, k.close) <= k.high
        assert all(p % tick == 0 for p in (k.open, k.high, k.low, k.close))
        assert k.volume > 0 and k.trades > 0


def test_history_follows_the_live_generators_hourly_anchors() -> None:
    sim = SimExchange(DEFAULT_MARKETS, seed=3)
    hour_open = START + 2 * HOUR_MS
    [first_minute] = list(minute_klines(sim, "BTC-USDT", hour_open, hour_open + MINUTE_MS))
    live_first = next(sim.trades("BTC-USDT", hour_open, hour_open + HOUR_MS))
    # Both start the hour at the same anchor (within the first minute's own move).
    assert abs(first_minute.open / live_first.price - 1) < 0.005
