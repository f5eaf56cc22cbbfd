"""A small trading world for the engine tests: one market, one account, a tape of prints."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import Side, Trade
from backend.engine.trading import (
    AccountConfig,
    Event,
    FeeSchedule,
    Fill,
    MarketSpec,
    OrderRequest,
    OrderType,
    PaperEngine,
    RiskLimits,
    SlippageModel,
)

D = Decimal
EX = "x"
SYM = "BTC-USDT"
ACC = "a"
INF = Decimal("Infinity")
ZERO, ONE, TICK, LOT = Decimal(0), Decimal(1), Decimal("0.01"), Decimal("0.001")
_ids = count(1)


def make_engine(
    *,
    cash: Decimal = Decimal(10_000),
    margin: bool = False,
    leverage: Decimal = ONE,
    risk: RiskLimits | None = None,
    fees: FeeSchedule | None = None,
    slippage: SlippageModel | None = None,
    touch_queue_qty: Decimal = INF,
    min_notional: Decimal = ZERO,
    tick: Decimal = TICK,
    lot: Decimal = LOT,
) -> PaperEngine:
    engine = PaperEngine(slippage=slippage, touch_queue_qty=touch_queue_qty)
    engine.add_market(MarketSpec(Instrument(EX, SYM, tick, lot), min_notional))
    engine.add_market(MarketSpec(Instrument(EX, "ETH-BTC", tick, lot)))
    config = AccountConfig(EX, "USDT", fees or FeeSchedule(), margin, leverage, risk or RiskLimits())
    engine.open_account(ACC, config, cash)
    return engine


def trade(
    engine: PaperEngine,
    price: str | Decimal,
    qty: str | Decimal = "1000",
    side: Side = Side.SELL,
    ts: int | None = None,
) -> list[Event]:
    n = next(_ids)
    ts_ms = ts if ts is not None else 1_700_000_000_000 + n
    return engine.on_trade(Trade(EX, SYM, n, ts_ms, D(price), D(qty), side, ts_ms))


def limit(side: Side, qty: str, price: str, **kw: object) -> OrderRequest:
    return OrderRequest(SYM, side, D(qty), OrderType.LIMIT, price=D(price), **kw)  # type: ignore[arg-type]


def market(side: Side, qty: str, **kw: object) -> OrderRequest:
    return OrderRequest(SYM, side, D(qty), OrderType.MARKET, **kw)  # type: ignore[arg-type]


def fills(events: list[Event]) -> list[Fill]:
    return [e for e in events if isinstance(e, Fill)]


BUY, SELL = Side.BUY, Side.SELL
