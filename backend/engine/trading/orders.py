"""Orders: what a client asks for (OrderRequest), the engine's live order (Order) and its state machine.

States: new -> partially_filled -> filled, and new/partially_filled -> cancelled / expired;
rejected only from new. Terminal states never change again; anything else raises
IllegalTransition, so a bug in the matching code cannot silently resurrect an order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from backend.engine.market.trade import Side

ZERO = Decimal(0)


class OrderType(StrEnum):
    MARKET = "market"
    LIMIT = "limit"
    STOP_MARKET = "stop_market"  # buy: triggers when a print >= stop; sell: print <= stop
    STOP_LIMIT = "stop_limit"
    TAKE_PROFIT_MARKET = "take_profit_market"  # buy: triggers when a print <= stop; sell: print >= stop
    TAKE_PROFIT_LIMIT = "take_profit_limit"
    TRAILING_STOP = "trailing_stop"  # a stop-market whose trigger trails the best price since submission


LIMIT_TYPES = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_LIMIT})
TRIGGER_TYPES = frozenset(
    {OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TAKE_PROFIT_MARKET, OrderType.TAKE_PROFIT_LIMIT}
)
STOP_TYPES = frozenset({OrderType.STOP_MARKET, OrderType.STOP_LIMIT})


class TimeInForce(StrEnum):
    GTC = "gtc"
    IOC = "ioc"  # fill what is immediately fillable, expire the rest
    FOK = "fok"  # fill all immediately or reject
    POST_ONLY = "post_only"  # rest as maker or reject


class OrderStatus(StrEnum):
    NEW = "new"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"


class Liquidity(StrEnum):
    MAKER = "maker"
    TAKER = "taker"


TERMINAL = frozenset({OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.EXPIRED})
_ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.NEW: frozenset(
        {
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELLED,
            OrderStatus.REJECTED,
            OrderStatus.EXPIRED,
        }
    ),
    OrderStatus.PARTIALLY_FILLED: frozenset(
        {OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.EXPIRED}
    ),
}


class IllegalTransition(RuntimeError):
    pass


def check_transition(src: OrderStatus, dst: OrderStatus) -> None:
    if dst not in _ALLOWED.get(src, frozenset()):
        raise IllegalTransition(f"order cannot go from {src} to {dst}")


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A client's order. Prices are in the quote currency; qty in the base asset.

    `price` is the limit price (limit types), `stop_price` the trigger (stop / take-profit
    types); a trailing stop takes exactly one of `trail_offset` (a price distance) or
    `trail_bps` (basis points of the best price since submission).
    """

    symbol: str
    side: Side
    qty: Decimal
    type: OrderType = OrderType.LIMIT
    price: Decimal | None = None
    stop_price: Decimal | None = None
    tif: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    client_order_id: str | None = None
    trail_offset: Decimal | None = None
    trail_bps: Decimal | None = None


class OrderSnapshot(NamedTuple):
    """An immutable copy of an order at one moment: what events carry and snapshots store."""

    order_id: str
    account_id: str
    symbol: str
    side: Side
    type: OrderType
    tif: TimeInForce
    qty: Decimal
    price: Decimal | None
    stop_price: Decimal | None
    trail_offset: Decimal | None
    trail_bps: Decimal | None
    reduce_only: bool
    client_order_id: str | None
    created_ms: int
    status: OrderStatus
    filled_qty: Decimal
    filled_quote: Decimal
    fees: Decimal
    updated_ms: int
    reason: str | None
    triggered: bool
    trail_ref: Decimal | None
    queue_ahead: Decimal
    fills: int
    locked: Decimal
    seq: int

    @property
    def remaining(self) -> Decimal:
        return self.qty - self.filled_qty

    @property
    def avg_price(self) -> Decimal | None:
        return self.filled_quote / self.filled_qty if self.filled_qty else None


@dataclass(slots=True, eq=False)
class Order:
    """The engine's mutable order. Only the engine changes it, always through `transition`."""

    order_id: str
    account_id: str
    symbol: str
    side: Side
    type: OrderType
    tif: TimeInForce
    qty: Decimal
    price: Decimal | None
    stop_price: Decimal | None
    trail_offset: Decimal | None
    trail_bps: Decimal | None
    reduce_only: bool
    client_order_id: str | None
    created_ms: int
    status: OrderStatus = OrderStatus.NEW
    filled_qty: Decimal = ZERO
    filled_quote: Decimal = ZERO
    fees: Decimal = ZERO
    updated_ms: int = 0
    reason: str | None = None
    triggered: bool = False
    trail_ref: Decimal | None = None  # best price since submission (trailing stops)
    queue_ahead: Decimal = ZERO  # quantity assumed ahead of us at our limit price
    fills: int = 0  # fill ids are f"{order_id}-{n}", n = 1, 2, ... so replays are idempotent
    locked: Decimal = ZERO  # funds this order holds (quote for spot buys, base for spot sells)
    seq: int = 0  # time priority

    @property
    def remaining(self) -> Decimal:
        return self.qty - self.filled_qty

    @property
    def is_open(self) -> bool:
        return self.status is OrderStatus.NEW or self.status is OrderStatus.PARTIALLY_FILLED

    def transition(self, dst: OrderStatus, ts_ms: int, reason: str | None = None) -> None:
        check_transition(self.status, dst)
        self.status = dst
        self.updated_ms = ts_ms
        if reason is not None:
            self.reason = reason

    def snapshot(self) -> OrderSnapshot:
        return OrderSnapshot(
            self.order_id,
            self.account_id,
            self.symbol,
            self.side,
            self.type,
            self.tif,
            self.qty,
            self.price,
            self.stop_price,
            self.trail_offset,
            self.trail_bps,
            self.reduce_only,
            self.client_order_id,
            self.created_ms,
            self.status,
            self.filled_qty,
            self.filled_quote,
            self.fees,
            self.updated_ms,
            self.reason,
            self.triggered,
            self.trail_ref,
            self.queue_ahead,
            self.fills,
            self.locked,
            self.seq,
        )

    @classmethod
    def from_snapshot(cls, s: OrderSnapshot) -> Order:
        return cls(
            s.order_id,
            s.account_id,
            s.symbol,
            s.side,
            s.type,
            s.tif,
            s.qty,
            s.price,
            s.stop_price,
            s.trail_offset,
            s.trail_bps,
            s.reduce_only,
            s.client_order_id,
            s.created_ms,
            s.status,
            s.filled_qty,
            s.filled_quote,
            s.fees,
            s.updated_ms,
            s.reason,
            s.triggered,
            s.trail_ref,
            s.queue_ahead,
            s.fills,
            s.locked,
            s.seq,
        )
