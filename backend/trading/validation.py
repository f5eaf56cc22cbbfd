"""Order requests checked at the API, before anything is sent or written.

Static checks only (shape, numbers, symbol, tick, lot and the market's minimum order value):
they need no account state, so the API can refuse bad input at once with the same reason
codes the engine uses. Funds, positions and risk limits are the engine's to judge, against
its live state. The minimum notional of an order without a price of its own (market,
trailing stop) is estimated from the last price the engine applied; the engine, which
prices it against the book, still has the final word (422 min_notional).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.engine.trading import OrderType, RejectReason, TimeInForce
from backend.engine.trading.orders import LIMIT_TYPES, TRIGGER_TYPES
from backend.engine.trading.risk import BPS
from backend.engine.trading.spec import floor_to
from backend.marketdata import instruments
from backend.ops.errors import ApiError
from backend.trading import selectors, wire

MAX_EXPONENT = 15
MAX_DIGITS = 30
CLIENT_ORDER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
FIELDS = frozenset(
    {
        "symbol",
        "side",
        "type",
        "tif",
        "qty",
        "price",
        "stop_price",
        "trail_offset",
        "trail_bps",
        "reduce_only",
        "client_order_id",
    }
)


def _reject(code: str, message: str, field: str | None = None) -> ApiError:
    return ApiError(code=code, message=message, status_code=400, detail={"field": field} if field else None)


def _decimal(data: dict[str, Any], name: str, code: str) -> Decimal | None:
    raw = data.get(name)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise _reject(code, f"{name} must be a decimal string", name)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _reject(code, f"{name} must be a decimal string, got {raw!r}", name) from None
    if not value.is_finite() or value <= 0:
        raise _reject(code, f"{name} must be a finite number greater than zero", name)
    # Bounded magnitude and precision: no market needs more, and arithmetic on an
    # absurd exponent would overflow the engine's decimal context.
    if value.adjusted() > MAX_EXPONENT or value.adjusted() < -MAX_EXPONENT or len(value.as_tuple().digits) > MAX_DIGITS:
        raise _reject(code, f"{name} is out of range (at most {MAX_DIGITS} digits, below 1e{MAX_EXPONENT})", name)
    return value


def _plain(value: Decimal) -> str:
    """Plain notation without padding: 5, 0.65 (not 5.000000000000000000 or 6.5E-1)."""
    return format(value.normalize(), "f")


def _on_tick(value: Decimal, tick: Decimal | None) -> bool:
    return tick is None or value % tick == 0


def _reference_price(
    kind: OrderType,
    side: str,
    price: Decimal | None,
    stop: Decimal | None,
    offset: Decimal | None,
    bps: Decimal | None,
    *,
    exchange: str,
    symbol: str,
) -> Decimal | None:
    """The price the engine values the order at (None when no price is known yet)."""
    if kind in LIMIT_TYPES:
        return price
    if kind in TRIGGER_TYPES:
        return stop
    last = selectors.last_price(exchange, symbol)
    if last is None or kind is not OrderType.TRAILING_STOP:
        return last
    move = offset if offset is not None else last * (bps or Decimal(0)) / BPS
    return last - move if side == "sell" else last + move


def parse_order(data: Any, *, account_id: int, exchange: str, currency: str) -> wire.Submit:
    if not isinstance(data, dict):
        raise _reject("invalid_input", "the order must be a JSON object")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise _reject("unknown_field", f"unknown fields: {', '.join(unknown)}", unknown[0])
    symbol = data.get("symbol")
    if not isinstance(symbol, str) or not symbol:
        raise _reject(RejectReason.UNKNOWN_SYMBOL, "symbol is required (BASE-QUOTE)", "symbol")
    instrument = instruments.get(exchange, symbol)
    if instrument is None:
        raise _reject(RejectReason.UNKNOWN_SYMBOL, f"unknown symbol {symbol!r} on {exchange}", "symbol")
    if instrument.quote != currency:
        raise _reject(
            RejectReason.CURRENCY_MISMATCH, f"{symbol} is quoted in {instrument.quote}, the account in {currency}"
        )
    side = data.get("side")
    if side not in ("buy", "sell"):
        raise _reject("invalid_side", "side must be buy or sell", "side")
    try:
        kind = OrderType(data.get("type", "limit"))
        tif = TimeInForce(data.get("tif", "gtc"))
    except ValueError as exc:
        raise _reject(RejectReason.INVALID_ORDER, str(exc)) from None
    reduce_only = data.get("reduce_only", False)
    if not isinstance(reduce_only, bool):
        raise _reject(RejectReason.INVALID_ORDER, "reduce_only must be true or false", "reduce_only")
    client_order_id = data.get("client_order_id")
    if client_order_id is not None and (
        not isinstance(client_order_id, str) or not CLIENT_ORDER_ID.match(client_order_id)
    ):
        raise _reject(
            "invalid_client_order_id", "client_order_id: 1-64 of letters, digits and _ . : -", "client_order_id"
        )

    qty = _decimal(data, "qty", RejectReason.INVALID_QUANTITY)
    if qty is None:
        raise _reject(RejectReason.INVALID_QUANTITY, "qty is required", "qty")
    if floor_to(qty, instrument.lot_size) <= 0:
        raise _reject(RejectReason.QTY_BELOW_LOT, f"qty is below the lot size {instrument.lot_size}", "qty")
    price = _decimal(data, "price", RejectReason.INVALID_PRICE)
    stop = _decimal(data, "stop_price", RejectReason.INVALID_PRICE)
    offset = _decimal(data, "trail_offset", RejectReason.INVALID_PRICE)
    bps = _decimal(data, "trail_bps", RejectReason.INVALID_PRICE)
    tick = instrument.tick_size
    if kind in LIMIT_TYPES:
        if price is None:
            raise _reject(RejectReason.INVALID_PRICE, f"price is required for {kind} orders", "price")
        if not _on_tick(price, tick):
            raise _reject(RejectReason.PRICE_OFF_TICK, f"price must be a multiple of the tick {tick}", "price")
    elif price is not None:
        raise _reject(RejectReason.INVALID_ORDER, f"{kind} orders take no price", "price")
    if kind in TRIGGER_TYPES:
        if stop is None:
            raise _reject(RejectReason.INVALID_PRICE, f"stop_price is required for {kind} orders", "stop_price")
        if not _on_tick(stop, tick):
            raise _reject(
                RejectReason.PRICE_OFF_TICK, f"stop_price must be a multiple of the tick {tick}", "stop_price"
            )
    elif stop is not None:
        raise _reject(RejectReason.INVALID_ORDER, f"{kind} orders take no stop_price", "stop_price")
    if kind is OrderType.TRAILING_STOP:
        if (offset is None) == (bps is None):
            raise _reject(RejectReason.INVALID_ORDER, "trailing_stop takes exactly one of trail_offset, trail_bps")
        if offset is not None and not _on_tick(offset, tick):
            raise _reject(RejectReason.PRICE_OFF_TICK, f"trail_offset must be a multiple of the tick {tick}")
    elif offset is not None or bps is not None:
        raise _reject(RejectReason.INVALID_ORDER, "trail_offset / trail_bps are for trailing_stop orders")
    if tif is TimeInForce.POST_ONLY and kind not in LIMIT_TYPES:
        raise _reject(RejectReason.INVALID_ORDER, "post_only is for limit orders", "tif")
    minimum = instrument.min_notional
    if minimum is not None and minimum > 0:
        ref = _reference_price(kind, side, price, stop, offset, bps, exchange=exchange, symbol=symbol)
        qty_on_lot = floor_to(qty, instrument.lot_size)
        if ref is not None and qty_on_lot * ref < minimum:
            quote = instrument.quote
            value, least = _plain(qty_on_lot * ref), _plain(minimum)
            raise ApiError(
                code=RejectReason.MIN_NOTIONAL,
                message=f"The order is worth {value} {quote}; {symbol} needs at least {least} {quote} (min notional).",
                status_code=400,
                detail={"field": "qty", "min_notional": least, "notional": value},
            )
    return wire.Submit(
        account=account_id,
        symbol=symbol,
        side=side,
        qty=qty,
        type=str(kind),
        tif=str(tif),
        price=price,
        stop_price=stop,
        trail_offset=offset,
        trail_bps=bps,
        reduce_only=reduce_only,
        client_order_id=client_order_id,
    )
