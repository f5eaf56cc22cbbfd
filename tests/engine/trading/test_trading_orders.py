"""Order types, time in force, the state machine and the admission rules of the paper engine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.engine.trading import (
    BalanceChanged,
    FeeSchedule,
    FixedBps,
    IllegalTransition,
    Liquidity,
    OrderAccepted,
    OrderRejected,
    OrderRequest,
    OrderStatus,
    OrderType,
    OrderUpdated,
    PaperEngine,
    RejectReason,
    TimeInForce,
)
from backend.engine.trading.orders import check_transition
from tests.engine.trading.world import ACC, BUY, INF, SELL, SYM, D, fills, limit, make_engine, market, trade


# -- state machine -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("src", "dst"),
    [
        (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED),
        (OrderStatus.NEW, OrderStatus.FILLED),
        (OrderStatus.NEW, OrderStatus.CANCELLED),
        (OrderStatus.NEW, OrderStatus.REJECTED),
        (OrderStatus.NEW, OrderStatus.EXPIRED),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.PARTIALLY_FILLED),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.CANCELLED),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.EXPIRED),
    ],
)
def test_legal_transitions(src: OrderStatus, dst: OrderStatus) -> None:
    check_transition(src, dst)


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.REJECTED),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.NEW),
        (OrderStatus.NEW, OrderStatus.NEW),
        *[(t, d) for t in (OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.EXPIRED)
          for d in OrderStatus],
    ],
)  # fmt: skip
def test_illegal_transitions_raise(src: OrderStatus, dst: OrderStatus) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(src, dst)


# -- market orders -------------------------------------------------------------------------
def test_market_order_without_a_price_is_rejected() -> None:
    engine = make_engine()
    result = engine.submit(ACC, market(BUY, "1"))
    assert not result.accepted
    assert result.reason == RejectReason.NO_MARKET_PRICE
    assert isinstance(result.events[0], OrderRejected)


def test_market_buy_fills_at_last_price_with_fee_and_moves_balances() -> None:
    engine = make_engine()
    trade(engine, "100")
    result = engine.submit(ACC, market(BUY, "2"))
    (fill,) = fills(result.events)
    assert (fill.price, fill.qty, fill.fee, fill.fee_asset, fill.liquidity) == (
        D(100),
        D(2),
        D("0.2"),
        "USDT",
        Liquidity.TAKER,
    )
    assert fill.fill_id == f"{result.order.order_id}-1"
    assert result.order.status is OrderStatus.FILLED
    assert engine.balance(ACC, "USDT") == (D("9799.8"), 0)
    assert engine.balance(ACC, "BTC") == (D(2), 0)
    kinds = [type(e) for e in result.events]
    assert kinds[0] is OrderAccepted and BalanceChanged in kinds


def test_fixed_bps_slippage_moves_taker_price_against_the_taker_onto_the_tick() -> None:
    engine = make_engine(slippage=FixedBps(D(10)))
    trade(engine, "100.03")
    buy = fills(engine.submit(ACC, market(BUY, "1")).events)[0]
    sell = fills(engine.submit(ACC, market(SELL, "1")).events)[0]
    assert buy.price == D("100.14")  # 100.03 * 1.001 = 100.13003 -> next tick up
    assert sell.price == D("99.92")  # 100.03 * 0.999 = 99.92997 -> tick down


def test_spot_market_buy_beyond_cash_is_rejected() -> None:
    engine = make_engine(cash=D(100))
    trade(engine, "100")
    assert engine.submit(ACC, market(BUY, "1")).reason == RejectReason.INSUFFICIENT_BALANCE  # fee makes it 100.1
    assert engine.submit(ACC, market(BUY, "0.99")).accepted


def test_spot_sell_without_holdings_is_rejected() -> None:
    engine = make_engine()
    trade(engine, "100")
    assert engine.submit(ACC, market(SELL, "1")).reason == RejectReason.INSUFFICIENT_BALANCE


# -- request validation --------------------------------------------------------------------
@pytest.mark.parametrize("qty", ["0", "-1", "NaN", "Infinity", "-Infinity", "sNaN"])
def test_invalid_quantity(qty: str) -> None:
    engine = make_engine()
    trade(engine, "100")
    request = OrderRequest(SYM, BUY, Decimal(qty), OrderType.LIMIT, price=D(99))
    assert engine.submit(ACC, request).reason == RejectReason.INVALID_QUANTITY


@pytest.mark.parametrize("price", [None, "0", "-5", "NaN", "Infinity"])
def test_invalid_limit_price(price: str | None) -> None:
    engine = make_engine()
    request = OrderRequest(SYM, BUY, D(1), OrderType.LIMIT, price=None if price is None else Decimal(price))
    assert engine.submit(ACC, request).reason == RejectReason.INVALID_PRICE


def test_off_tick_price_is_rejected_not_rounded() -> None:
    engine = make_engine()
    assert engine.submit(ACC, limit(BUY, "1", "99.005")).reason == RejectReason.PRICE_OFF_TICK
    stop = OrderRequest(SYM, SELL, D(1), OrderType.STOP_MARKET, stop_price=D("98.001"))
    assert engine.submit(ACC, stop).reason == RejectReason.PRICE_OFF_TICK


def test_quantity_is_rounded_down_to_the_lot() -> None:
    engine = make_engine()
    result = engine.submit(ACC, limit(BUY, "1.23456", "99"))
    assert result.order.qty == D("1.234")
    assert engine.submit(ACC, limit(BUY, "0.0009", "99")).reason == RejectReason.QTY_BELOW_LOT


def test_min_notional() -> None:
    engine = make_engine(min_notional=D(10))
    assert engine.submit(ACC, limit(BUY, "0.1", "99.99")).reason == RejectReason.MIN_NOTIONAL
    assert engine.submit(ACC, limit(BUY, "0.1", "100")).accepted


def test_unknown_symbol_and_currency_mismatch() -> None:
    engine = make_engine()
    assert engine.submit(ACC, OrderRequest("DOGE-USDT", BUY, D(1), price=D(1))).reason == RejectReason.UNKNOWN_SYMBOL
    mismatch = OrderRequest("ETH-BTC", BUY, D(1), price=D(1))
    assert engine.submit(ACC, mismatch).reason == RejectReason.CURRENCY_MISMATCH


def test_fields_that_do_not_belong_to_the_type_are_rejected() -> None:
    engine = make_engine()
    trade(engine, "100")
    assert engine.submit(ACC, market(BUY, "1", price=D(100))).reason == RejectReason.INVALID_ORDER
    assert engine.submit(ACC, limit(BUY, "1", "99", stop_price=D(98))).reason == RejectReason.INVALID_ORDER
    both = OrderRequest(SYM, SELL, D(1), OrderType.TRAILING_STOP, trail_offset=D(1), trail_bps=D(10))
    assert engine.submit(ACC, both).reason == RejectReason.INVALID_ORDER
    post_market = market(BUY, "1", tif=TimeInForce.POST_ONLY)
    assert engine.submit(ACC, post_market).reason == RejectReason.INVALID_ORDER


# -- client order ids ----------------------------------------------------------------------
def test_client_order_id_is_idempotent() -> None:
    engine = make_engine()
    first = engine.submit(ACC, limit(BUY, "1", "99", client_order_id="c-1"))
    again = engine.submit(ACC, limit(BUY, "5", "90", client_order_id="c-1"))
    assert again.duplicate and again.events == []
    assert again.order.order_id == first.order.order_id and again.order.qty == D(1)
    assert len(engine.open_orders(ACC)) == 1
    rejected = engine.submit(ACC, limit(BUY, "0", "99", client_order_id="c-2"))
    assert engine.submit(ACC, limit(BUY, "1", "99", client_order_id="c-2")).order.order_id == rejected.order.order_id


# -- resting limits ------------------------------------------------------------------------
def test_limit_buy_locks_quote_with_the_fee() -> None:
    engine = make_engine()
    engine.submit(ACC, limit(BUY, "10", "99"))
    assert engine.balance(ACC, "USDT") == (D("9009.01"), D("990.99"))


def test_resting_limit_fills_on_a_print_through_it_at_its_own_price_as_maker() -> None:
    engine = make_engine(fees=FeeSchedule(maker=D("0.0002"), taker=D("0.001")))
    trade(engine, "100")
    order = engine.submit(ACC, limit(BUY, "1", "99")).order
    assert fills(trade(engine, "99.5")) == []
    (fill,) = fills(trade(engine, "98.5"))
    assert (fill.price, fill.liquidity, fill.fee) == (D(99), Liquidity.MAKER, D("0.0198"))
    assert fill.order_id == order.order_id
    assert engine.balance(ACC, "USDT") == (D(10_000) - D(99) - D("0.0198"), 0)


def test_partial_fills_are_bounded_by_the_printed_quantity() -> None:
    engine = make_engine()
    order = engine.submit(ACC, limit(SELL, "3", "101", reduce_only=False)).order  # no BTC: rejected
    assert order.status is OrderStatus.REJECTED
    trade(engine, "100")
    engine.submit(ACC, market(BUY, "3"))
    order = engine.submit(ACC, limit(SELL, "3", "101")).order
    first = fills(trade(engine, "101.5", qty="1.25", side=BUY))
    assert [f.qty for f in first] == [D("1.25")]
    assert engine.open_orders(ACC)[0].status is OrderStatus.PARTIALLY_FILLED
    second = fills(trade(engine, "102", qty="5", side=BUY))
    assert [f.qty for f in second] == [D("1.75")]
    assert [f.fill_id for f in first + second] == [f"{order.order_id}-1", f"{order.order_id}-2"]
    assert engine.open_orders(ACC) == []


def test_one_print_is_shared_by_an_accounts_orders_in_price_time_priority() -> None:
    engine = make_engine()
    a = engine.submit(ACC, limit(BUY, "1", "99")).order
    b = engine.submit(ACC, limit(BUY, "1", "99.5")).order
    c = engine.submit(ACC, limit(BUY, "1", "99.5")).order
    got = fills(trade(engine, "98", qty="1.5"))
    assert [(f.order_id, f.qty) for f in got] == [(b.order_id, D(1)), (c.order_id, D("0.5"))]
    assert a.order_id in {o.order_id for o in engine.open_orders(ACC)}


def test_touching_the_limit_does_not_fill_with_an_unknown_queue() -> None:
    engine = make_engine(touch_queue_qty=INF)
    engine.submit(ACC, limit(BUY, "1", "99"))
    assert fills(trade(engine, "99", qty="1000000")) == []


def test_prints_at_the_limit_consume_the_assumed_queue_first() -> None:
    engine = make_engine(touch_queue_qty=D(5))
    engine.submit(ACC, limit(BUY, "2", "99"))
    assert fills(trade(engine, "99", qty="3", side=SELL)) == []
    assert fills(trade(engine, "99", qty="10", side=BUY)) == []  # buyers lifting offers do not reach bids
    assert [f.qty for f in fills(trade(engine, "99", qty="3", side=SELL))] == [D(1)]
    assert [f.qty for f in fills(trade(engine, "99", qty="4", side=SELL))] == [D(1)]


def test_marketable_limit_takes_at_the_last_price_but_never_beyond_its_limit() -> None:
    engine = make_engine(slippage=FixedBps(D(50)))
    trade(engine, "100")
    (fill,) = fills(engine.submit(ACC, limit(BUY, "1", "100.2")).events)
    assert (fill.price, fill.liquidity) == (D("100.2"), Liquidity.TAKER)  # 100.5 capped at the limit
    (fill,) = fills(engine.submit(ACC, limit(BUY, "1", "101")).events)
    assert fill.price == D("100.5")


def test_a_cheaper_fill_than_the_limit_releases_the_unused_lock() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, limit(BUY, "1", "110"))
    assert engine.balance(ACC, "USDT") == (D("9899.9"), 0)


# -- time in force -------------------------------------------------------------------------
def test_ioc_fills_or_expires() -> None:
    engine = make_engine()
    trade(engine, "100")
    missed = engine.submit(ACC, limit(BUY, "1", "99", tif=TimeInForce.IOC))
    assert missed.order.status is OrderStatus.EXPIRED and missed.order.reason == RejectReason.IOC_UNFILLED
    assert engine.balance(ACC, "USDT") == (D(10_000), 0)
    hit = engine.submit(ACC, limit(BUY, "1", "100", tif=TimeInForce.IOC))
    assert hit.order.status is OrderStatus.FILLED


def test_fok_rejects_when_not_immediately_fillable() -> None:
    engine = make_engine()
    trade(engine, "100")
    assert engine.submit(ACC, limit(BUY, "1", "99", tif=TimeInForce.FOK)).reason == RejectReason.FOK_UNFILLABLE
    assert engine.submit(ACC, limit(BUY, "1", "100", tif=TimeInForce.FOK)).order.status is OrderStatus.FILLED


def test_post_only_rejects_when_it_would_take() -> None:
    engine = make_engine()
    trade(engine, "100")
    taking = engine.submit(ACC, limit(BUY, "1", "100", tif=TimeInForce.POST_ONLY))
    assert taking.reason == RejectReason.POST_ONLY_WOULD_TAKE
    resting = engine.submit(ACC, limit(BUY, "1", "99.99", tif=TimeInForce.POST_ONLY))
    assert resting.order.status is OrderStatus.NEW


# -- stops, take-profits, trailing ---------------------------------------------------------
def _long(qty: str = "2") -> PaperEngine:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, market(BUY, qty))
    return engine


def test_sell_stop_market_triggers_on_a_print_at_or_below_and_fills_at_that_print() -> None:
    engine = _long()
    order = engine.submit(ACC, OrderRequest(SYM, SELL, D(2), OrderType.STOP_MARKET, stop_price=D(95))).order
    assert engine.balance(ACC, "BTC") == (0, D(2))
    assert fills(trade(engine, "95.01")) == []
    (fill,) = fills(trade(engine, "94.5"))
    assert (fill.order_id, fill.price, fill.liquidity) == (order.order_id, D("94.5"), Liquidity.TAKER)


def test_buy_stop_market_triggers_on_a_print_at_or_above() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, OrderRequest(SYM, BUY, D(1), OrderType.STOP_MARKET, stop_price=D(105)))
    assert fills(trade(engine, "104.99")) == []
    assert [f.price for f in fills(trade(engine, "105"))] == [D(105)]


def test_stop_limit_becomes_a_resting_limit_when_the_print_is_past_its_limit() -> None:
    engine = _long()
    req = OrderRequest(SYM, SELL, D(2), OrderType.STOP_LIMIT, price=D(94), stop_price=D(95))
    engine.submit(ACC, req)
    events = trade(engine, "93")  # triggers; 93 is below the sell limit 94: rests instead of taking
    assert fills(events) == []
    (rested,) = engine.open_orders(ACC)
    assert rested.triggered and rested.status is OrderStatus.NEW
    assert any(isinstance(e, OrderUpdated) and e.order.triggered for e in events)
    (fill,) = fills(trade(engine, "94.5"))
    assert (fill.price, fill.liquidity) == (D(94), Liquidity.MAKER)


def test_stop_limit_takes_when_the_trigger_print_is_within_its_limit() -> None:
    engine = _long()
    engine.submit(ACC, OrderRequest(SYM, SELL, D(2), OrderType.STOP_LIMIT, price=D(94), stop_price=D(95)))
    (fill,) = fills(trade(engine, "94.8"))
    assert (fill.price, fill.liquidity) == (D("94.8"), Liquidity.TAKER)


def test_take_profit_triggers_in_the_favourable_direction() -> None:
    engine = _long()
    engine.submit(ACC, OrderRequest(SYM, SELL, D(1), OrderType.TAKE_PROFIT_MARKET, stop_price=D(110)))
    engine.submit(ACC, OrderRequest(SYM, SELL, D(1), OrderType.TAKE_PROFIT_LIMIT, price=D(111), stop_price=D(110)))
    assert fills(trade(engine, "90")) == []
    got = fills(trade(engine, "110.5"))
    assert [(f.price, f.liquidity) for f in got] == [(D("110.5"), Liquidity.TAKER)]
    (fill,) = fills(trade(engine, "111.5"))
    assert fill.price == D(111)


def test_trailing_stop_by_offset_follows_the_high() -> None:
    engine = _long()
    req = OrderRequest(SYM, SELL, D(2), OrderType.TRAILING_STOP, trail_offset=D(5))
    engine.submit(ACC, req)
    for p in ("103", "110", "106"):
        assert fills(trade(engine, p)) == []
    assert engine.trigger_levels("x", SYM) == [D(105)]
    (fill,) = fills(trade(engine, "104.9"))
    assert fill.price == D("104.9")


def test_trailing_stop_by_bps_for_a_buy_follows_the_low() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, OrderRequest(SYM, BUY, D(1), OrderType.TRAILING_STOP, trail_bps=D(100)))
    for p in ("98", "90", "90.8"):
        assert fills(trade(engine, p)) == []
    (fill,) = fills(trade(engine, "90.9"))  # 90 * 1.01 = 90.9
    assert fill.price == D("90.9")


def test_reduce_only_cannot_increase_or_flip() -> None:
    engine = _long(qty="1")
    assert engine.submit(ACC, market(BUY, "1", reduce_only=True)).reason == RejectReason.REDUCE_ONLY_WOULD_INCREASE
    assert engine.submit(ACC, market(SELL, "2", reduce_only=True)).reason == RejectReason.REDUCE_ONLY_WOULD_INCREASE
    assert engine.submit(ACC, market(SELL, "1", reduce_only=True)).order.status is OrderStatus.FILLED


def test_reduce_only_stop_and_take_profit_cover_one_position_and_the_second_expires() -> None:
    engine = _long()
    stop = OrderRequest(SYM, SELL, D(2), OrderType.STOP_MARKET, stop_price=D(95), reduce_only=True)
    tp = OrderRequest(SYM, SELL, D(2), OrderType.TAKE_PROFIT_MARKET, stop_price=D(110), reduce_only=True)
    assert engine.submit(ACC, stop).accepted and engine.submit(ACC, tp).accepted
    assert [f.qty for f in fills(trade(engine, "94"))] == [D(2)]
    events = trade(engine, "111")
    assert fills(events) == []
    assert [e.order.status for e in events if isinstance(e, OrderUpdated)] == [OrderStatus.EXPIRED]
    assert engine.balance(ACC, "BTC") == (0, 0)


# -- cancel --------------------------------------------------------------------------------
def test_cancel_releases_the_lock_and_a_second_cancel_is_refused() -> None:
    engine = make_engine()
    order = engine.submit(ACC, limit(BUY, "1", "99", client_order_id="mine")).order
    result = engine.cancel(ACC, order.order_id)
    assert result.cancelled and result.order is not None and result.order.status is OrderStatus.CANCELLED
    assert engine.balance(ACC, "USDT") == (D(10_000), 0)
    assert engine.cancel(ACC, order.order_id).reason == RejectReason.UNKNOWN_ORDER
    assert engine.cancel(ACC, client_order_id="mine").reason == RejectReason.UNKNOWN_ORDER
    assert engine.cancel(ACC, "nope").reason == RejectReason.UNKNOWN_ORDER


def test_cancel_by_client_order_id() -> None:
    engine = make_engine()
    engine.submit(ACC, limit(BUY, "1", "99", client_order_id="mine"))
    assert engine.cancel(ACC, client_order_id="mine").cancelled


def test_cancel_all_optionally_per_symbol() -> None:
    engine = make_engine()
    engine.submit(ACC, limit(BUY, "1", "99"))
    engine.submit(ACC, limit(BUY, "1", "98"))
    engine.cancel_all(ACC, "ETH-USDT")
    assert len(engine.open_orders(ACC)) == 2
    events = engine.cancel_all(ACC, SYM)
    assert [e.order.status for e in events if isinstance(e, OrderUpdated)] == [OrderStatus.CANCELLED] * 2
    assert engine.open_orders(ACC) == []


def test_cancelled_orders_never_fill() -> None:
    engine = make_engine()
    order = engine.submit(ACC, limit(BUY, "1", "99")).order
    engine.cancel(ACC, order.order_id)
    assert fills(trade(engine, "90")) == []


# -- margin --------------------------------------------------------------------------------
def test_margin_account_may_short_within_leverage() -> None:
    engine = make_engine(margin=True, leverage=D(2))
    trade(engine, "100")
    assert engine.submit(ACC, market(SELL, "150")).accepted
    assert engine.position_qty(ACC, SYM) == D(-150)
    assert engine.balance(ACC, "BTC") == (D(-150), 0)
    assert engine.submit(ACC, market(SELL, "60")).reason == RejectReason.MAX_LEVERAGE
    assert engine.submit(ACC, market(BUY, "200")).accepted  # reducing then flipping to +50 is within 2x
    assert engine.position_qty(ACC, SYM) == D(50)


def test_max_market_qty_is_exactly_what_the_engine_accepts() -> None:
    for margin in (False, True):
        engine = make_engine(margin=margin, leverage=D(3), cash=D("1234.56"))
        trade(engine, "97.13")
        qty = engine.max_market_qty(ACC, SYM, BUY)
        assert qty > 0
        assert engine.submit(ACC, market(BUY, str(qty + D("0.001")))).reason in {
            RejectReason.INSUFFICIENT_BALANCE,
            RejectReason.MAX_LEVERAGE,
        }
        assert engine.submit(ACC, market(BUY, str(qty))).accepted
