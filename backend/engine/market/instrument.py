from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Instrument:
    """A tradable market in unified naming: symbol BASE-QUOTE on one exchange."""

    exchange: str
    symbol: str
    tick_size: Decimal | None
    lot_size: Decimal | None
    # The smallest order value (qty x price, quote currency) the exchange accepts; None = no minimum.
    min_notional: Decimal | None = None

    @property
    def base(self) -> str:
        return self.symbol.split("-", 1)[0]

    @property
    def quote(self) -> str:
        return self.symbol.split("-", 1)[1]
