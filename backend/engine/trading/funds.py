"""The arithmetic of funds shared by the engine and the vectorized backtest, so both agree to the unit."""

from __future__ import annotations

from decimal import Decimal

from backend.engine.trading.fees import fee_for
from backend.engine.trading.spec import floor_to

ZERO = Decimal(0)


def buy_cost(qty: Decimal, price: Decimal, rate: Decimal) -> Decimal:
    """Quote spent buying qty at price, fee included."""
    notional = qty * price
    return notional + fee_for(notional, rate)


def affordable_buy_qty(free_quote: Decimal, price: Decimal, rate: Decimal, lot: Decimal | None) -> Decimal:
    """The largest lot multiple whose cost (fee included) fits in free_quote."""
    if free_quote <= 0 or price <= 0:
        return ZERO
    qty = floor_to(free_quote / (price * (1 + rate)), lot)
    step = lot if lot is not None else qty * Decimal("1e-12")
    # The division rounds at the context precision and the fee rounds up: correct the estimate.
    while qty > 0 and buy_cost(qty, price, rate) > free_quote:
        qty -= step
    return max(qty, ZERO)


def floor_quotient(value: Decimal, price: Decimal, lot: Decimal | None) -> Decimal:
    """floor(value / price) to the lot for value >= 0, exact even where the division rounds."""
    if value <= 0 or price <= 0:
        return ZERO
    qty = floor_to(value / price, lot)
    if lot is None:
        return qty
    while qty * price > value:
        qty -= lot
    while (qty + lot) * price <= value:
        qty += lot
    return max(qty, ZERO)
