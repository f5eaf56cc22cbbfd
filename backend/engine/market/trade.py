from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec


class Side(StrEnum):
    """The taker's side: BUY means a buyer lifted an offer."""

    BUY = "buy"
    SELL = "sell"


class Trade(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One normalized exchange trade.

    Encoded as a JSON array (field order below) to keep bus messages compact; prices
    and quantities travel as decimal strings so no float rounding ever touches them.
    """

    exchange: str
    symbol: str
    trade_id: int
    ts_ms: int
    price: Decimal
    qty: Decimal
    side: Side
    recv_ms: int


class InvalidTrade(ValueError):
    pass


def validate(trade: Trade) -> Trade:
    """Reject what an exchange should never send, at the edge (data before availability)."""
    if not trade.price.is_finite() or trade.price <= 0:
        raise InvalidTrade(f"price must be a positive finite number, got {trade.price}")
    if not trade.qty.is_finite() or trade.qty <= 0:
        raise InvalidTrade(f"quantity must be a positive finite number, got {trade.qty}")
    if trade.ts_ms <= 0:
        raise InvalidTrade(f"timestamp must be positive, got {trade.ts_ms}")
    return trade
