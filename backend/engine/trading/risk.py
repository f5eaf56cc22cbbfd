"""Pre-trade risk per account: limits (all optional), the state they act on, and the checks.

Risk-increasing orders (those that would grow the absolute position) pass every gate;
risk-reducing orders are only stopped by the kill switch, so a tripped breaker or a daily
loss never prevents getting flat. The drawdown breaker latches: once tripped it stays
tripped until an explicit reset, whatever equity does afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from backend.engine.trading.reasons import RejectReason

BPS = Decimal(10_000)
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class RiskLimits:
    max_order_notional: Decimal | None = None  # quote currency
    max_position_notional: Decimal | None = None  # |position after the order| * price, per symbol
    max_gross_exposure: Decimal | None = None  # sum over symbols of |position| * mark, after the order
    max_open_orders: int | None = None
    max_daily_loss: Decimal | None = None  # equity lost since the UTC day's first observation, quote currency
    max_drawdown: Decimal | None = None  # fraction of peak equity (0.2 = 20 %) that trips the breaker
    price_band_bps: Decimal | None = None  # limit/stop price at most this far from the last trade

    @property
    def needs_marking(self) -> bool:
        return self.max_daily_loss is not None or self.max_drawdown is not None


@dataclass(slots=True)
class RiskState:
    peak_equity: Decimal
    day: int = -1
    day_start_equity: Decimal = Decimal(0)
    breaker_tripped: bool = False
    kill_switch: bool = False

    def observe(self, equity: Decimal, ts_ms: int, limits: RiskLimits) -> bool:
        """Track peak and day start; returns True when this observation trips the breaker."""
        if equity > self.peak_equity:
            self.peak_equity = equity
        day = ts_ms // DAY_MS
        if day != self.day:
            self.day = day
            self.day_start_equity = equity
        if limits.max_drawdown is None or self.breaker_tripped or self.peak_equity <= 0:
            return False
        if (self.peak_equity - equity) / self.peak_equity >= limits.max_drawdown:
            self.breaker_tripped = True
            return True
        return False

    def drawdown(self, equity: Decimal) -> Decimal:
        return (self.peak_equity - equity) / self.peak_equity if self.peak_equity > 0 else Decimal(0)


def check_increasing_order(
    limits: RiskLimits,
    state: RiskState,
    *,
    equity: Decimal,
    notional: Decimal,
    position_after_notional: Decimal,
    gross_after: Decimal | None,
) -> RejectReason | None:
    """Gates applied to a risk-increasing order (gross_after may be None when no gross limit is set)."""
    if state.breaker_tripped:
        return RejectReason.DRAWDOWN_BREAKER
    if (
        limits.max_daily_loss is not None
        and state.day >= 0
        and state.day_start_equity - equity >= limits.max_daily_loss
    ):
        return RejectReason.MAX_DAILY_LOSS
    if limits.max_order_notional is not None and notional > limits.max_order_notional:
        return RejectReason.MAX_ORDER_NOTIONAL
    if limits.max_position_notional is not None and position_after_notional > limits.max_position_notional:
        return RejectReason.MAX_POSITION
    if limits.max_gross_exposure is not None and gross_after is not None and gross_after > limits.max_gross_exposure:
        return RejectReason.MAX_GROSS_EXPOSURE
    return None


def outside_band(limits: RiskLimits, price: Decimal, last_price: Decimal | None) -> bool:
    if limits.price_band_bps is None or last_price is None:
        return False
    return abs(price - last_price) * BPS > limits.price_band_bps * last_price
