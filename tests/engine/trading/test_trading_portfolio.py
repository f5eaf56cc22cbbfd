"""FIFO lots, realized/unrealized P&L, round trips, equity, snapshot/restore, sizing helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.engine.backtest.records import ClosedTrade
from backend.engine.trading import OrderRequest, OrderType, PaperEngine, RoundTripClosed
from backend.engine.trading.portfolio import Position
from backend.engine.trading.sizing import (
    exposure_qty,
    fixed_fraction,
    fixed_risk,
    kelly_fraction,
    volatility_target,
)
from tests.engine.trading.world import ACC, BUY, SELL, SYM, D, fills, limit, make_engine, market, trade


def test_fifo_realizes_against_the_oldest_lots() -> None:
    pos = Position(SYM)
    pos.apply(True, D(1), D(100), D(0), 1)
    pos.apply(True, D(1), D(110), D(0), 2)
    realized, done = pos.apply(False, D("1.5"), D(120), D(0), 3)
    assert realized == D(20) + D("0.5") * 10
    assert done is None
    assert [(lot.qty, lot.price) for lot in pos.lots] == [(D("0.5"), D(110))]
    assert pos.avg_entry == D(110)
    assert pos.unrealized(D(100)) == D(-5)


def test_reversal_closes_the_trip_and_opens_the_other_side_splitting_the_fee() -> None:
    pos = Position(SYM)
    pos.apply(True, D(2), D(100), D("0.2"), 1)
    realized, done = pos.apply(False, D(3), D(90), D("0.27"), 2)
    assert realized == D(-20)
    assert done == ClosedTrade(SYM, "long", 1, 2, D(100), D(90), D(2), D(-20) - D("0.2") - D("0.18"), D("0.38"))
    assert pos.qty == D(-1)
    _, short = pos.apply(True, D(1), D(80), D("0.08"), 3)
    assert short is not None
    assert (short.direction, short.pnl, short.fees) == ("short", D(10) - D("0.09") - D("0.08"), D("0.17"))


def test_round_trip_prices_are_quantity_weighted() -> None:
    pos = Position(SYM)
    pos.apply(True, D(1), D(100), D(0), 1)
    pos.apply(True, D(3), D(104), D(0), 2)
    pos.apply(False, D(2), D(110), D(0), 3)
    _, done = pos.apply(False, D(2), D(120), D(0), 4)
    assert done is not None
    assert (done.entry_price, done.exit_price, done.qty, done.entry_time_ms, done.exit_time_ms) == (
        D(103),
        D(115),
        D(4),
        1,
        4,
    )


def test_engine_reports_round_trips_and_account_view() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, market(BUY, "1"))
    trade(engine, "105")
    view = engine.account_view(ACC)
    (p,) = view.positions
    assert (p.qty, p.avg_entry, p.mark, p.unrealized) == (D(1), D(100), D(105), D(5))
    assert view.equity == D(10_000) - D("0.1") + D(5)
    assert view.gross_exposure == D(105)
    events = engine.submit(ACC, market(SELL, "1")).events
    (closed,) = [e.trade for e in events if isinstance(e, RoundTripClosed)]
    assert closed.pnl == D(5) - D("0.1") - D("0.105")
    assert fills(events)[0].realized_pnl == D(5)


def _busy_engine() -> PaperEngine:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, market(BUY, "3"))
    engine.submit(ACC, limit(BUY, "2", "95", client_order_id="dip"))
    engine.submit(ACC, limit(SELL, "1", "110"))
    engine.submit(ACC, OrderRequest(SYM, SELL, D(1), OrderType.STOP_MARKET, stop_price=D(90)))
    engine.submit(ACC, OrderRequest(SYM, SELL, D("0.5"), OrderType.TRAILING_STOP, trail_offset=D(3)))
    trade(engine, "94", qty="0.5")  # partially fills the dip buy
    return engine


def test_snapshot_restore_resumes_identically() -> None:
    live = _busy_engine()
    restored = make_engine(cash=D(0))
    restored._accounts.clear()  # a fresh worker: markets configured, accounts from the snapshot
    restored.restore(live.snapshot())
    assert restored.snapshot() == live.snapshot()
    assert restored.submit(ACC, limit(BUY, "1", "95", client_order_id="dip")).duplicate
    for price in ("96", "93", "111", "89"):
        assert trade(live, price, ts=5) == trade(restored, price, ts=5)
    assert restored.snapshot() == live.snapshot()


# -- sizing ---------------------------------------------------------------------------------
def test_exposure_qty_rounds_toward_zero_to_the_lot() -> None:
    assert exposure_qty(D("0.5"), D(1000), D(3), D("0.01")) == D("166.66")
    assert exposure_qty(D(-1), D(1000), D(3), D("0.01")) == D("-333.33")
    assert exposure_qty(D(1), D(1000), D("0.5"), D(1)) == D(2000)  # exact multiple stays


def test_fixed_fraction_and_fixed_risk() -> None:
    assert fixed_fraction(D(10_000), D("0.1"), D(250), D("0.001")) == D(4)
    assert fixed_risk(D(10_000), D("0.01"), D(100), D(95), D("0.1")) == D(20)
    assert fixed_risk(D(10_000), D("0.01"), D(100), D(100), D("0.1")) == 0


def test_volatility_target_sizes_inversely_to_atr_with_a_cap() -> None:
    assert volatility_target(D(10_000), D(100), D(2), D(1)) == D(50)
    assert volatility_target(D(10_000), D(100), D("0.01"), D(1)) == D(100)  # capped at 1x equity
    assert volatility_target(D(10_000), D(100), D(0), D(1)) == 0


@pytest.mark.parametrize(
    ("p", "b", "expected"),
    [("0.6", "1", "0.2"), ("0.5", "1", "0"), ("0.9", "2", "0.25"), ("0.2", "1", "0")],
)
def test_kelly_fraction(p: str, b: str, expected: str) -> None:
    assert kelly_fraction(Decimal(p), Decimal(b)) == Decimal(expected)


def test_kelly_half_and_bad_input() -> None:
    assert kelly_fraction(D("0.6"), D(1), scale=D("0.5")) == D("0.1")
    with pytest.raises(ValueError):
        kelly_fraction(D("1.1"), D(1))
