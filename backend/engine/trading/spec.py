"""A tradable market as the engine sees it: the instrument plus exchange filters.

Quantities are rounded DOWN to the lot size (selling or buying a little less than asked is
what exchanges' "step size" filters force on clients anyway), but prices must already be
ON the tick: an off-tick limit or stop price is rejected with price_off_tick instead of
being silently moved, because moving a price changes what the order means (a rounded stop
may trigger earlier, a rounded limit may pay more).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from backend.engine.market.instrument import Instrument

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class MarketSpec:
    instrument: Instrument
    min_notional: Decimal = ZERO

    @property
    def key(self) -> tuple[str, str]:
        return (self.instrument.exchange, self.instrument.symbol)

    @property
    def symbol(self) -> str:
        return self.instrument.symbol

    @property
    def base(self) -> str:
        return self.instrument.base

    @property
    def quote(self) -> str:
        return self.instrument.quote

    def floor_qty(self, qty: Decimal) -> Decimal:
        return floor_to(qty, self.instrument.lot_size)

    def on_tick(self, price: Decimal) -> bool:
        tick = self.instrument.tick_size
        return tick is None or price % tick == 0


def floor_to(value: Decimal, step: Decimal | None) -> Decimal:
    """Round down to a multiple of step (toward minus infinity); unchanged without a step."""
    if step is None:
        return value
    return (value / step).to_integral_value(ROUND_FLOOR) * step


def ceil_to(value: Decimal, step: Decimal | None) -> Decimal:
    if step is None:
        return value
    return (value / step).to_integral_value(ROUND_CEILING) * step


def is_finite_positive(value: Decimal | None) -> bool:
    return value is not None and value.is_finite() and value > 0
