"""One paper account: configuration, balances per asset, FIFO positions, open orders, risk state.

Spot accounts (the default) can only spend what they hold: buying BASE-QUOTE spends
quote, selling spends base, and resting orders lock what they may spend. Margin accounts
may hold negative balances (short base, borrowed quote) as long as gross exposure stays
within leverage x equity; they lock nothing.

Every market an account trades is quoted in the account's currency, so equity, P&L and
risk limits are all in that one currency, and the base balance of each market equals the
position's FIFO lots (both only change by fills).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.orders import Order, OrderSnapshot
from backend.engine.trading.portfolio import Position
from backend.engine.trading.risk import RiskLimits, RiskState

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class AccountConfig:
    exchange: str  # the venue whose trade stream fills this account's orders
    currency: str = "USDT"
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    margin: bool = False
    leverage: Decimal = Decimal(1)
    risk: RiskLimits = field(default_factory=RiskLimits)


class Account:
    __slots__ = ("client_ids", "config", "free", "id", "locked", "next_order", "open_orders", "positions", "risk")

    def __init__(self, account_id: str, config: AccountConfig, cash: Decimal) -> None:
        self.id = account_id
        self.config = config
        self.free: dict[str, Decimal] = {config.currency: cash}
        self.locked: dict[str, Decimal] = {}
        self.positions: dict[str, Position] = {}
        self.open_orders: dict[str, Order] = {}
        self.client_ids: dict[str, Order] = {}
        self.next_order = 0
        self.risk = RiskState(peak_equity=cash)

    def balance(self, asset: str) -> tuple[Decimal, Decimal]:
        return self.free.get(asset, ZERO), self.locked.get(asset, ZERO)

    def position(self, symbol: str) -> Position:
        pos = self.positions.get(symbol)
        if pos is None:
            pos = self.positions[symbol] = Position(symbol)
        return pos

    def position_qty(self, symbol: str) -> Decimal:
        pos = self.positions.get(symbol)
        return pos.qty if pos is not None else ZERO


@dataclass(frozen=True, slots=True)
class PositionSnapshot:
    lots: tuple[tuple[Decimal, Decimal, int], ...]  # (signed qty, price, ts_ms), oldest first
    realized: Decimal
    fees: Decimal
    trip: tuple[object, ...] | None  # the round trip in progress (opaque, for restore)


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    account_id: str
    config: AccountConfig
    balances: dict[str, tuple[Decimal, Decimal]]  # asset -> (free, locked)
    positions: dict[str, PositionSnapshot]
    open_orders: tuple[OrderSnapshot, ...]
    next_order: int
    peak_equity: Decimal
    day: int
    day_start_equity: Decimal
    breaker_tripped: bool
    kill_switch: bool


@dataclass(frozen=True, slots=True)
class PositionView:
    symbol: str
    qty: Decimal
    avg_entry: Decimal | None
    mark: Decimal | None
    unrealized: Decimal
    realized: Decimal
    fees: Decimal


@dataclass(frozen=True, slots=True)
class AccountView:
    account_id: str
    currency: str
    balances: dict[str, tuple[Decimal, Decimal]]
    positions: list[PositionView]
    equity: Decimal
    gross_exposure: Decimal
    peak_equity: Decimal
    drawdown: Decimal
    breaker_tripped: bool
    kill_switch: bool
    open_orders: int
