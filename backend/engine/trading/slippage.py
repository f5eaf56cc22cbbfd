"""How far from the last trade price a taker fill lands.

Slipped prices are moved onto the tick in the adverse direction (a buy pays the next tick
up), since a real fill can only happen at a tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from backend.engine.market.trade import Side
from backend.engine.trading.spec import ceil_to, floor_to

BPS = Decimal(10_000)
ZERO = Decimal(0)


class SlippageModel(Protocol):
    @property
    def uses_volume(self) -> bool:
        """Whether the engine must track recent traded volume for this model."""
        ...

    def fill_price(
        self, side: Side, last_price: Decimal, qty: Decimal, tick: Decimal | None, recent_volume: Decimal
    ) -> Decimal: ...


def _apply_bps(side: Side, price: Decimal, bps: Decimal, tick: Decimal | None) -> Decimal:
    if not bps:
        return price
    if side is Side.BUY:
        return ceil_to(price * (1 + bps / BPS), tick)
    return floor_to(price * (1 - bps / BPS), tick)


@dataclass(frozen=True, slots=True)
class FixedBps:
    """Every taker fill pays `bps` basis points over (buys) or under (sells) the last price."""

    bps: Decimal = ZERO

    @property
    def uses_volume(self) -> bool:
        return False

    def fill_price(
        self, side: Side, last_price: Decimal, qty: Decimal, tick: Decimal | None, recent_volume: Decimal
    ) -> Decimal:
        return _apply_bps(side, last_price, self.bps, tick)


@dataclass(frozen=True, slots=True)
class VolumeParticipation:
    """Impact grows with the order's share of recently traded volume.

    bps = base_bps + impact_bps * qty / volume over the last `window_ms`, capped at max_bps
    (the cap also applies when nothing traded recently).
    """

    impact_bps: Decimal = Decimal(100)
    base_bps: Decimal = ZERO
    max_bps: Decimal = Decimal(500)
    window_ms: int = 60_000

    @property
    def uses_volume(self) -> bool:
        return True

    def fill_price(
        self, side: Side, last_price: Decimal, qty: Decimal, tick: Decimal | None, recent_volume: Decimal
    ) -> Decimal:
        if recent_volume > 0:
            bps = min(self.max_bps, self.base_bps + self.impact_bps * qty / recent_volume)
        else:
            bps = self.max_bps
        return _apply_bps(side, last_price, bps, tick)
