"""Records a backtest produces and the metrics module consumes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ClosedTrade:
    """One round trip: a position opened and fully closed (FIFO lots)."""

    symbol: str
    direction: str  # "long" | "short"
    entry_time_ms: int
    exit_time_ms: int
    entry_price: Decimal  # quantity-weighted average of the entry fills
    exit_price: Decimal  # quantity-weighted average of the exit fills
    qty: Decimal
    pnl: Decimal  # net of fees, in the quote currency
    fees: Decimal

    @property
    def return_fraction(self) -> Decimal:
        """Net P&L over the capital committed at entry."""
        cost = self.entry_price * self.qty
        return self.pnl / cost if cost else Decimal(0)
