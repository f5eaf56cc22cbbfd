"""Maker/taker fees, charged in the quote currency on each fill."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from backend.engine.trading.orders import Liquidity

# Fees are rounded up to 1e-8 of the quote currency (the exchange keeps the dust), which
# also keeps the number of decimal places in balances bounded however many fills accrue.
FEE_QUANTUM = Decimal("1e-8")
BINANCE_SPOT_RATE = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    maker: Decimal = BINANCE_SPOT_RATE
    taker: Decimal = BINANCE_SPOT_RATE

    def rate(self, liquidity: Liquidity) -> Decimal:
        return self.maker if liquidity is Liquidity.MAKER else self.taker

    @property
    def max_rate(self) -> Decimal:
        return max(self.maker, self.taker)


def fee_for(notional: Decimal, rate: Decimal) -> Decimal:
    if not rate:
        return Decimal(0)
    return (notional * rate).quantize(FEE_QUANTUM, ROUND_UP)
