from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.engine.market.codec import decode_trades, encode_trades
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS

START = DEFAULT_EPOCH_MS + 100 * HOUR_MS + 1_234_567


def sim(seed: int = 7) -> SimExchange:
    return SimExchange(DEFAULT_MARKETS, seed=seed)


def test_same_seed_and_window_give_identical_trades() -> None:
    a = list(sim().trades("BTC-USDT", START, START + 600_000))
    b = list(sim().trades("BTC-USDT", START, START + 600_000))
    assert a and a == b


def test_a_restart_mid_stream_regenerates_the_same_trades() -> None:
    whole = list(sim().trades("ETH-USDT", START, START + 2 * HOUR_MS))
    cut = START + HOUR_MS + 777
    resumed = list(sim().trades("ETH-USDT", START, cut)) + list(sim().trades("ETH-USDT", cut, START + 2 * HOUR_MS))
    assert resumed == whole


def test_different_seeds_give_different_markets() -> None:
    assert list(sim(1).trades("BTC-USDT", START, START + 60_000)) != list(
        sim(2).trades("BTC-USDT", START, START + 60_000)
    )


@pytest.mark.parametrize("symbol", sorted(DEFAULT_MARKETS))
def test_trades_respect_tick_lot_window_and_id_order(symbol: str) -> None:
    market = DEFAULT_MARKETS[symbol]
    trades = list(sim().trades(symbol, START, START + HOUR_MS))
    assert all(START <= t.ts_ms < START + HOUR_MS for t in trades)
    assert all(t.price % market.instrument.tick_size == 0 and t.price > 0 for t in trades)
    assert all(t.qty % market.instrument.lot_size == 0 and t.qty > 0 for t in trades)
    ids = [t.trade_id for t in trades]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {t.side for t in trades} == {Side.BUY, Side.SELL}
    # Arrivals average the configured rate; a wide band allows for the bursts.
    rate = len(trades) / 3600
    assert market.trades_per_s * 0.5 < rate < market.trades_per_s * 2


def test_prices_join_smoothly_across_hour_segments() -> None:
    boundary = DEFAULT_EPOCH_MS + 101 * HOUR_MS
    before = list(sim().trades("BTC-USDT", boundary - 60_000, boundary))[-1]
    after = next(sim().trades("BTC-USDT", boundary, boundary + 60_000))
    assert abs(after.price / before.price - 1) < Decimal("0.01")


def test_no_trades_before_the_epoch() -> None:
    with pytest.raises(ValueError, match="epoch"):
        list(sim().trades("BTC-USDT", DEFAULT_EPOCH_MS - 1, DEFAULT_EPOCH_MS + 1000))


prices = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("1e9"), allow_nan=False, places=8)


@given(
    st.lists(
        st.builds(
            Trade,
            exchange=st.sampled_from(["sim", "binance"]),
            symbol=st.sampled_from(["BTC-USDT", "ETH-USDT"]),
            trade_id=st.integers(min_value=0, max_value=2**62),
            ts_ms=st.integers(min_value=1, max_value=2**45),
            price=prices,
            qty=prices,
            side=st.sampled_from(list(Side)),
            recv_ms=st.integers(min_value=1, max_value=2**45),
        ),
        max_size=20,
    )
)
@settings(max_examples=200)
def test_trade_batches_roundtrip_exactly_through_the_wire_format(trades: list[Trade]) -> None:
    assert decode_trades(encode_trades(trades)) == trades


@pytest.mark.parametrize(
    ("price", "qty", "ts"),
    [("NaN", "1", 1), ("Infinity", "1", 1), ("-1", "1", 1), ("0", "1", 1), ("1", "0", 1), ("1", "1", 0)],
)
def test_invalid_trades_are_rejected_at_the_edge(price: str, qty: str, ts: int) -> None:
    trade = Trade("sim", "BTC-USDT", 1, ts, Decimal(price), Decimal(qty), Side.BUY, 1)
    with pytest.raises(InvalidTrade):
        validate(trade)
