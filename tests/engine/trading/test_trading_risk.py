"""Pre-trade risk: one test per limit, and the rule that risk-reducing orders still pass."""

from __future__ import annotations

from backend.engine.trading import OrderRequest, OrderType, RejectReason, RiskLimits, RiskStateChanged
from tests.engine.trading.world import ACC, BUY, SELL, SYM, D, limit, make_engine, market, trade


def test_no_limits_by_default() -> None:
    engine = make_engine()
    trade(engine, "100")
    assert engine.submit(ACC, market(BUY, "99")).accepted


def test_max_order_notional() -> None:
    engine = make_engine(risk=RiskLimits(max_order_notional=D(500)))
    trade(engine, "100")
    assert engine.submit(ACC, market(BUY, "5.01")).reason == RejectReason.MAX_ORDER_NOTIONAL
    assert engine.submit(ACC, market(BUY, "5")).accepted


def test_max_position() -> None:
    engine = make_engine(risk=RiskLimits(max_position_notional=D(1000)))
    trade(engine, "100")
    assert engine.submit(ACC, market(BUY, "6")).accepted
    assert engine.submit(ACC, market(BUY, "4.01")).reason == RejectReason.MAX_POSITION
    assert engine.submit(ACC, market(BUY, "4")).accepted


def test_max_gross_exposure() -> None:
    engine = make_engine(margin=True, leverage=D(5), risk=RiskLimits(max_gross_exposure=D(2000)))
    trade(engine, "100")
    assert engine.submit(ACC, market(SELL, "15")).accepted
    assert engine.submit(ACC, market(SELL, "5.01")).reason == RejectReason.MAX_GROSS_EXPOSURE
    assert engine.submit(ACC, market(BUY, "10")).accepted  # reducing is always allowed


def test_max_open_orders() -> None:
    engine = make_engine(risk=RiskLimits(max_open_orders=2))
    trade(engine, "100")
    assert engine.submit(ACC, limit(BUY, "1", "90")).accepted
    assert engine.submit(ACC, limit(BUY, "1", "91")).accepted
    assert engine.submit(ACC, limit(BUY, "1", "92")).reason == RejectReason.MAX_OPEN_ORDERS
    assert engine.submit(ACC, market(BUY, "1")).accepted  # never rests


def test_price_band() -> None:
    engine = make_engine(risk=RiskLimits(price_band_bps=D(500)))
    assert engine.submit(ACC, limit(BUY, "1", "50")).accepted  # no last price yet: no band
    trade(engine, "100")
    assert engine.submit(ACC, limit(BUY, "1", "94.99")).reason == RejectReason.PRICE_BAND
    assert engine.submit(ACC, limit(BUY, "1", "95")).accepted
    stop = OrderRequest(SYM, BUY, D(1), OrderType.STOP_MARKET, stop_price=D("105.01"))
    assert engine.submit(ACC, stop).reason == RejectReason.PRICE_BAND


def test_kill_switch_cancels_everything_and_blocks_all_new_orders() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.submit(ACC, market(BUY, "2"))
    engine.submit(ACC, limit(BUY, "1", "90"))
    events = engine.set_kill_switch(ACC, True)
    assert engine.open_orders(ACC) == []
    assert any(isinstance(e, RiskStateChanged) and e.kill_switch for e in events)
    assert engine.balance(ACC, "USDT")[1] == 0
    assert engine.submit(ACC, market(SELL, "1")).reason == RejectReason.KILL_SWITCH
    engine.set_kill_switch(ACC, False)
    assert engine.submit(ACC, market(SELL, "1")).accepted


def test_drawdown_breaker_latches_until_reset_and_lets_risk_reducing_orders_through() -> None:
    engine = make_engine(cash=D(1000), risk=RiskLimits(max_drawdown=D("0.1")))
    trade(engine, "100")
    engine.submit(ACC, market(BUY, "9"))  # 900 of 1000 in BTC
    events = trade(engine, "88")  # equity ~ 100 + 792 = 892: an 10.8 % drawdown
    assert any(isinstance(e, RiskStateChanged) and e.breaker_tripped for e in events)
    trade(engine, "120")  # recovering does not re-arm it
    assert engine.account_view(ACC).breaker_tripped
    assert engine.submit(ACC, market(BUY, "0.1")).reason == RejectReason.DRAWDOWN_BREAKER
    assert engine.submit(ACC, market(SELL, "1")).accepted
    engine.reset_breaker(ACC)
    assert engine.submit(ACC, market(BUY, "0.1")).accepted


def test_max_daily_loss_blocks_until_the_next_utc_day() -> None:
    day = 86_400_000
    t0 = 20_000 * day
    engine = make_engine(cash=D(1000), risk=RiskLimits(max_daily_loss=D(50)))
    trade(engine, "100", ts=t0 + 1)
    engine.submit(ACC, market(BUY, "9"))
    trade(engine, "94", ts=t0 + 2)  # equity 1000 - 0.9 fee - 54 = 945.1
    assert engine.submit(ACC, market(BUY, "0.1"), ts_ms=t0 + 3).reason == RejectReason.MAX_DAILY_LOSS
    assert engine.submit(ACC, market(SELL, "1"), ts_ms=t0 + 3).accepted
    trade(engine, "94", ts=t0 + day)  # a new day starts from today's equity
    assert engine.submit(ACC, market(BUY, "0.1"), ts_ms=t0 + day + 1).accepted


def test_set_risk_limits_applies_to_the_next_order() -> None:
    engine = make_engine()
    trade(engine, "100")
    engine.set_risk_limits(ACC, RiskLimits(max_order_notional=D(10)))
    assert engine.submit(ACC, market(BUY, "1")).reason == RejectReason.MAX_ORDER_NOTIONAL
