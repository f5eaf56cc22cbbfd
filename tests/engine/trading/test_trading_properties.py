"""Properties of the engine over random order and trade sequences (hypothesis).

After every engine call:
- spot accounts never hold a negative free or locked balance;
- locked balances equal what the open orders hold;
- no fill is worse than its order's limit; filled quantity never exceeds the order's, and
  one print never fills an account's resting orders for more than the printed quantity;
- quote balance + cost of the open FIFO lots == cash + realized P&L - fees, exactly;
- the FIFO lots add up to the position, which equals the base balance.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.engine.trading import (
    Event,
    FeeSchedule,
    Fill,
    Liquidity,
    OrderRequest,
    OrderType,
    PaperEngine,
    TimeInForce,
)
from tests.engine.trading.world import ACC, BUY, SELL, SYM, D, make_engine, trade

CASH = D(5_000)
prices = st.integers(9_000, 11_000).map(lambda c: Decimal(c) / 100)  # 90.00 .. 110.00
qtys = st.integers(1, 3_000).map(lambda m: Decimal(m) / 1000)
sides = st.sampled_from([BUY, SELL])

order_ops = st.one_of(
    st.tuples(st.just("limit"), sides, qtys, prices, st.sampled_from(list(TimeInForce)), st.booleans()),
    st.tuples(st.just("market"), sides, qtys, st.just(None), st.just(TimeInForce.GTC), st.booleans()),
    st.tuples(st.just("stop"), sides, qtys, prices, st.just(TimeInForce.GTC), st.booleans()),
    st.tuples(st.just("stop_limit"), sides, qtys, prices, st.just(TimeInForce.GTC), st.booleans()),
    st.tuples(st.just("tp"), sides, qtys, prices, st.just(TimeInForce.GTC), st.booleans()),
    st.tuples(st.just("trail"), sides, qtys, st.just(None), st.just(TimeInForce.GTC), st.booleans()),
)
trade_ops = st.tuples(st.just("trade"), sides, qtys, prices, st.just(TimeInForce.GTC), st.just(False))
cancel_ops = st.tuples(st.just("cancel"), sides, st.just(D(0)), st.just(None), st.just(TimeInForce.GTC), st.booleans())
ops = st.lists(st.one_of(order_ops, trade_ops, trade_ops, cancel_ops), min_size=1, max_size=60)


def request(op: tuple[object, ...]) -> OrderRequest:
    kind, side, qty, price, tif, reduce_only = op
    assert isinstance(qty, Decimal)
    common = {"reduce_only": bool(reduce_only)}
    if kind == "limit":
        return OrderRequest(SYM, side, qty, OrderType.LIMIT, price=price, tif=tif, **common)  # type: ignore[arg-type]
    if kind == "market":
        return OrderRequest(SYM, side, qty, OrderType.MARKET, **common)  # type: ignore[arg-type]
    if kind == "stop":
        return OrderRequest(SYM, side, qty, OrderType.STOP_MARKET, stop_price=price, **common)  # type: ignore[arg-type]
    if kind == "stop_limit":
        assert isinstance(price, Decimal)
        limit_price = price + (D(1) if side is BUY else D(-1))
        return OrderRequest(SYM, side, qty, OrderType.STOP_LIMIT, price=limit_price, stop_price=price, **common)  # type: ignore[arg-type]
    if kind == "tp":
        return OrderRequest(SYM, side, qty, OrderType.TAKE_PROFIT_MARKET, stop_price=price, **common)  # type: ignore[arg-type]
    return OrderRequest(SYM, side, qty, OrderType.TRAILING_STOP, trail_offset=D(2), **common)  # type: ignore[arg-type]


class Ledger:
    """What the events say, accumulated independently of the engine's own state."""

    def __init__(self) -> None:
        self.realized = D(0)
        self.fees = D(0)
        self.limits: dict[str, tuple[object, Decimal | None, Decimal]] = {}  # order id -> (side, limit, qty)
        self.filled: dict[str, Decimal] = {}

    def record(self, events: list[Event], print_qty: Decimal | None = None) -> None:
        maker = D(0)
        for ev in events:
            if not isinstance(ev, Fill):
                continue
            self.realized += ev.realized_pnl
            self.fees += ev.fee
            side, limit, qty = self.limits[ev.order_id]
            if limit is not None:
                assert ev.price <= limit if side is BUY else ev.price >= limit, (ev, limit)
            self.filled[ev.order_id] = self.filled.get(ev.order_id, D(0)) + ev.qty
            assert self.filled[ev.order_id] <= qty
            if ev.liquidity is Liquidity.MAKER:
                maker += ev.qty
        if print_qty is not None:
            assert maker <= print_qty


def check_invariants(engine: PaperEngine, ledger: Ledger, margin: bool) -> None:
    usdt_free, usdt_locked = engine.balance(ACC, "USDT")
    btc_free, btc_locked = engine.balance(ACC, "BTC")
    if not margin:
        assert min(usdt_free, usdt_locked, btc_free, btc_locked) >= 0
    open_orders = engine.open_orders(ACC)
    assert usdt_locked == sum((o.locked for o in open_orders if o.side is BUY), D(0))
    assert btc_locked == sum((o.locked for o in open_orders if o.side is SELL), D(0))
    snap = engine.snapshot().accounts[0]
    lots = snap.positions.get(SYM)
    lot_qty = sum((q for q, _, _ in lots.lots), D(0)) if lots else D(0)
    lot_cost = sum((q * p for q, p, _ in lots.lots), D(0)) if lots else D(0)
    assert lot_qty == engine.position_qty(ACC, SYM) == btc_free + btc_locked
    assert usdt_free + usdt_locked + lot_cost == CASH + ledger.realized - ledger.fees


def run(operations: list[tuple[object, ...]], margin: bool) -> None:
    engine = make_engine(
        cash=CASH,
        margin=margin,
        leverage=D(3),
        fees=FeeSchedule(maker=D("0.0002"), taker=D("0.00075")),
        touch_queue_qty=D(1),
    )
    ledger = Ledger()
    trade(engine, "100")
    for op in operations:
        kind = op[0]
        if kind == "trade":
            _, side, qty, price, _, _ = op
            assert isinstance(qty, Decimal) and isinstance(price, Decimal)
            ledger.record(trade(engine, price, qty, side), print_qty=qty)  # type: ignore[arg-type]
        elif kind == "cancel":
            open_orders = engine.open_orders(ACC)
            if open_orders:
                target = open_orders[0] if op[5] else open_orders[-1]
                ledger.record(engine.cancel(ACC, target.order_id).events)
        else:
            result = engine.submit(ACC, request(op))
            ledger.limits[result.order.order_id] = (result.order.side, result.order.price, result.order.qty)
            ledger.record(result.events)
        check_invariants(engine, ledger, margin)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_spot_invariants(operations: list[tuple[object, ...]]) -> None:
    run(operations, margin=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_margin_invariants(operations: list[tuple[object, ...]]) -> None:
    run(operations, margin=True)
