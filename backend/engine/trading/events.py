"""What the engine reports: plain immutable records, one list per engine call.

Records created for every fill or balance change are NamedTuples (immutable and several
times cheaper to build than frozen dataclasses, which matters at 100k+ events/s).

The Django trading app persists one call's events in one transaction (orders upserted by
order_id from the snapshot they carry, fills inserted by their deterministic fill_id,
balances set to the absolute free/locked values) and then publishes them. Absolute
values and deterministic ids make a replayed call idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from backend.engine.backtest.records import ClosedTrade
from backend.engine.market.trade import Side
from backend.engine.trading.orders import Liquidity, OrderSnapshot, OrderStatus


@dataclass(frozen=True, slots=True)
class OrderAccepted:
    order: OrderSnapshot

    @property
    def account_id(self) -> str:
        return self.order.account_id


@dataclass(frozen=True, slots=True)
class OrderRejected:
    order: OrderSnapshot  # status rejected, reason set

    @property
    def account_id(self) -> str:
        return self.order.account_id


@dataclass(frozen=True, slots=True)
class OrderUpdated:
    """Any later change: a fill, a trigger, cancellation or expiry."""

    order: OrderSnapshot

    @property
    def account_id(self) -> str:
        return self.order.account_id


class Fill(NamedTuple):
    fill_id: str
    order_id: str
    account_id: str
    symbol: str
    side: Side
    price: Decimal
    qty: Decimal
    fee: Decimal
    fee_asset: str
    liquidity: Liquidity
    ts_ms: int
    realized_pnl: Decimal  # gross of fees, FIFO


class BalanceChanged(NamedTuple):
    account_id: str
    asset: str
    free: Decimal
    locked: Decimal
    ts_ms: int

    @property
    def total(self) -> Decimal:
        return self.free + self.locked


@dataclass(frozen=True, slots=True)
class RoundTripClosed:
    account_id: str
    trade: ClosedTrade


@dataclass(frozen=True, slots=True)
class RiskStateChanged:
    account_id: str
    breaker_tripped: bool
    kill_switch: bool
    reason: str | None
    ts_ms: int


Event = OrderAccepted | OrderRejected | OrderUpdated | Fill | BalanceChanged | RoundTripClosed | RiskStateChanged


@dataclass(frozen=True, slots=True)
class SubmitResult:
    order: OrderSnapshot
    events: list[Event]
    duplicate: bool = False  # the client order id was seen before: `order` is the first one, nothing changed

    @property
    def accepted(self) -> bool:
        return self.order.status is not OrderStatus.REJECTED

    @property
    def reason(self) -> str | None:
        return self.order.reason
