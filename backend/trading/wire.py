"""Messages between the API and the paper engine, and what the engine publishes.

Commands travel as NATS request/reply (msgspec JSON, tagged unions); decimals are
strings on the wire so nothing is ever rounded through a float. The order shape here
(`order_out`) is the one the API returns, whether it comes from the engine's reply or
from a stored row (`order_out_row`), so a client sees one format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from backend.engine.trading import Fill, OrderSnapshot


class Submit(msgspec.Struct, tag_field="cmd", tag="submit", frozen=True):
    account: int
    symbol: str
    side: str
    qty: Decimal
    type: str = "limit"
    tif: str = "gtc"
    price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_offset: Decimal | None = None
    trail_bps: Decimal | None = None
    reduce_only: bool = False
    client_order_id: str | None = None


class Cancel(msgspec.Struct, tag_field="cmd", tag="cancel", frozen=True):
    account: int
    order_id: str


class CancelAll(msgspec.Struct, tag_field="cmd", tag="cancel_all", frozen=True):
    account: int
    symbol: str | None = None


class Reset(msgspec.Struct, tag_field="cmd", tag="reset", frozen=True):
    account: int


class Configure(msgspec.Struct, tag_field="cmd", tag="configure", frozen=True):
    account: int
    risk_limits: dict[str, Any] | None = None
    kill_switch: bool | None = None
    reset_breaker: bool = False


class Close(msgspec.Struct, tag_field="cmd", tag="close", frozen=True):
    account: int


class Ping(msgspec.Struct, tag_field="cmd", tag="ping", frozen=True):
    pass


Command = Submit | Cancel | CancelAll | Reset | Configure | Close | Ping


class Reply(msgspec.Struct):
    ok: bool
    code: str | None = None  # a RejectReason or an engine-side error code when not ok
    message: str = ""
    order: dict[str, Any] | None = None
    orders: list[dict[str, Any]] = []
    duplicate: bool = False


command_encoder = msgspec.json.Encoder(decimal_format="string")
command_decoder = msgspec.json.Decoder(Command)
reply_decoder = msgspec.json.Decoder(Reply)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def order_out(o: OrderSnapshot, account_pk: int) -> dict[str, Any]:
    return {
        "id": o.order_id,
        "account": account_pk,
        "client_order_id": o.client_order_id,
        "symbol": o.symbol,
        "side": str(o.side),
        "type": str(o.type),
        "tif": str(o.tif),
        "qty": str(o.qty),
        "price": _s(o.price),
        "stop_price": _s(o.stop_price),
        "trail_offset": _s(o.trail_offset),
        "trail_bps": _s(o.trail_bps),
        "reduce_only": o.reduce_only,
        "status": str(o.status),
        "filled_qty": str(o.filled_qty),
        "avg_price": _s(o.avg_price),
        "fees": str(o.fees),
        "reject_reason": o.reason,
        "created_ms": o.created_ms,
        "updated_ms": o.updated_ms,
    }


def order_out_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.order_id,
        "account": row.account_id,
        "client_order_id": row.client_order_id,
        "symbol": row.symbol,
        "side": row.side,
        "type": row.type,
        "tif": row.tif,
        "qty": str(row.qty),
        "price": _s(row.price),
        "stop_price": _s(row.stop_price),
        "trail_offset": _s(row.trail_offset),
        "trail_bps": _s(row.trail_bps),
        "reduce_only": row.reduce_only,
        "status": row.status,
        "filled_qty": str(row.filled_qty),
        "avg_price": _s(row.avg_price),
        "fees": str(row.fees),
        "reject_reason": row.reject_reason,
        "created_ms": row.created_ms,
        "updated_ms": row.updated_ms,
    }


def fill_out(f: Fill, account_pk: int) -> dict[str, Any]:
    return {
        "id": f.fill_id,
        "order_id": f.order_id,
        "account": account_pk,
        "symbol": f.symbol,
        "side": str(f.side),
        "price": str(f.price),
        "qty": str(f.qty),
        "fee": str(f.fee),
        "fee_currency": f.fee_asset,
        "liquidity": str(f.liquidity),
        "realized_pnl": str(f.realized_pnl),
        "ts_ms": f.ts_ms,
    }


def fill_out_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.fill_id,
        "order_id": row.order_id,
        "account": row.account_id,
        "symbol": row.symbol,
        "side": row.side,
        "price": str(row.price),
        "qty": str(row.qty),
        "fee": str(row.fee),
        "fee_currency": row.fee_currency,
        "liquidity": row.liquidity,
        "realized_pnl": str(row.realized_pnl),
        "ts_ms": row.ts_ms,
    }
