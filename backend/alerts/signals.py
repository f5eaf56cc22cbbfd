"""Inbound signals: a JSON POST (e.g. a TradingView alert) -> an order on the endpoint's paper account.

The HTTP side (`signals_api.InboundView`) checks the secret, the source address, the shape and
the age, records the signal (unique per endpoint on its signal id, so a replay changes
nothing) and queues `process_signal`; the task turns it into a market order through the
paper engine's normal command path (`trading.validation.parse_order` + `trading.gateway`),
so the engine's risk checks apply. The order's client id is `sig<signal row id>`, so a
redelivered task places nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets as pysecrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from celery import shared_task
from django.conf import settings

from backend.alerts.models import InboundSignal, SignalEndpoint
from backend.marketdata import instruments
from backend.ops.errors import ApiError
from backend.tenancy.context import tenant_context

ACTIONS = {
    "buy": "buy",
    "long": "buy",
    "sell": "sell",
    "short": "sell",
    "close": "close",
    "exit": "close",
    "flat": "close",
    "target": "target",
    "target_exposure": "target",
}
SIGNAL_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


def new_secret() -> tuple[str, str]:
    """(secret shown once, its SHA-256 hex kept)."""
    secret = "sig_" + pysecrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(endpoint: SignalEndpoint, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(endpoint.secret_hash, hash_secret(given))


def ip_allowed(endpoint: SignalEndpoint, ip: str | None) -> bool:
    if not endpoint.allowed_ips:
        return True
    if ip is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in endpoint.allowed_ips)


def check_networks(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad("invalid_allowed_ips", "allowed_ips is a list of IP addresses or CIDR networks")
    try:
        return [str(ipaddress.ip_network(v, strict=False)) for v in value]
    except ValueError as exc:
        raise _bad("invalid_allowed_ips", str(exc)) from None


def _bad(code: str, message: str, status_code: int = 400) -> ApiError:
    return ApiError(code=code, message=message, status_code=status_code)


@dataclass(frozen=True)
class ParsedSignal:
    action: str
    symbol: str
    size: Decimal | None
    price: Decimal | None
    signal_id: str | None
    ts: dt.datetime | None


def _first(data: dict[str, Any], *names: str) -> Any:
    for name in names:
        if data.get(name) not in (None, ""):
            return data[name]
    return None


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad("invalid_" + field, f"{field} must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _bad("invalid_" + field, f"{field} must be a number") from None
    if not number.is_finite():
        raise _bad("invalid_" + field, f"{field} must be a finite number")
    return number


def _timestamp(value: Any) -> dt.datetime | None:
    """Epoch seconds or milliseconds (number or digits) or ISO 8601 (TradingView's {{timenow}})."""
    if value is None:
        return None
    try:
        if (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip())
        ):
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        if isinstance(value, str):
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise _bad("invalid_timestamp", "timestamp: epoch seconds or milliseconds, or ISO 8601")


def resolve_symbol(exchange: str, raw: Any) -> str:
    """BTC-USDT, BTCUSDT, BINANCE:BTCUSDT, BTC/USDT and BTCUSDT.P all name BTC-USDT."""
    if not isinstance(raw, str) or not raw.strip():
        raise _bad("unknown_symbol", "symbol is required")
    text = raw.strip().upper().split(":")[-1].removesuffix(".P").replace("/", "-")
    if instruments.get(exchange, text) is not None:
        return text
    compact = text.replace("-", "")
    for inst in instruments.all_instruments():
        if inst.exchange == exchange and inst.symbol.replace("-", "") == compact:
            return str(inst.symbol)
    raise _bad("unknown_symbol", f"unknown symbol {raw!r} on {exchange}")


def parse(data: Any, exchange: str, now: dt.datetime) -> ParsedSignal:
    """Check one signal body (the secret already checked). Field aliases follow TradingView habits."""
    if not isinstance(data, dict):
        raise _bad("invalid_signal", "the signal must be a JSON object")
    raw_action = _first(data, "action", "side", "order_action")
    action = ACTIONS.get(str(raw_action).strip().lower()) if raw_action is not None else None
    if action is None:
        raise _bad("invalid_action", "action must be buy, sell, close or target")
    symbol = resolve_symbol(exchange, _first(data, "symbol", "ticker"))
    size_field = ("target", "position_size", "size", "qty") if action == "target" else ("size", "qty", "contracts")
    size = _decimal(_first(data, *size_field), "size")
    if action in ("buy", "sell") and (size is None or size <= 0):
        raise _bad("invalid_size", "size must be a number > 0")
    if action == "target" and size is None:
        raise _bad("invalid_size", "target needs size: the signed position to hold, in base units")
    price = _decimal(_first(data, "price", "close"), "price")
    if price is not None and price <= 0:
        raise _bad("invalid_price", "price must be > 0")
    signal_id = _first(data, "signal_id", "id")
    if signal_id is not None and (not isinstance(signal_id, (str, int)) or not SIGNAL_ID.match(str(signal_id))):
        raise _bad("invalid_signal_id", "signal_id: 1-128 of letters, digits and _ . : -")
    ts = _timestamp(_first(data, "timestamp", "time", "timenow"))
    window = settings.CONFIG.webhooks.signature_tolerance_s
    if ts is not None and abs((now - ts).total_seconds()) > window:
        raise _bad("stale_signal", f"the signal's timestamp is more than {window} s from now", 422)
    return ParsedSignal(action, symbol, size, price, None if signal_id is None else str(signal_id), ts)


def order_for(signal: InboundSignal, account_id: int, exchange: str, currency: str) -> dict[str, Any] | None:
    """The market order a signal asks for, or None when nothing is to be done (already flat / on target)."""
    from backend.trading.models import Position

    if signal.action in ("buy", "sell"):
        return {"symbol": signal.symbol, "side": signal.action, "type": "market", "qty": signal.size}
    held = Position.objects.filter(account_id=account_id, symbol=signal.symbol).values_list("qty", flat=True).first()
    held = held or Decimal(0)
    want = Decimal(0) if signal.action == "close" else Decimal(signal.size)
    delta = want - held
    if delta == 0:
        return None
    order: dict[str, Any] = {"symbol": signal.symbol, "side": "buy" if delta > 0 else "sell", "type": "market"}
    order["qty"] = str(abs(delta))
    if signal.action == "close":
        order["reduce_only"] = True
    return order


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def process_signal(signal_pk: int, tenant_id: int) -> str:
    from backend.trading import gateway
    from backend.trading.models import PaperAccount
    from backend.trading.validation import parse_order

    with tenant_context(tenant_id):
        signal = InboundSignal.objects.select_related("endpoint").get(pk=signal_pk)
        if signal.status != InboundSignal.Status.QUEUED:
            return signal.status
        account = PaperAccount.objects.get(pk=signal.endpoint.account_id)

        def finish(status: str, code: str = "", message: str = "", order_id: str = "") -> str:
            InboundSignal.objects.filter(pk=signal_pk).update(
                status=status, code=code[:64], message=message[:300], order_id=order_id
            )
            return status

        if not account.is_active:
            return finish(InboundSignal.Status.REJECTED, "account_closed", "the paper account is closed")
        order = order_for(signal, account.pk, account.exchange, account.currency)
        if order is None:
            return finish(InboundSignal.Status.PLACED, "nothing_to_do", "the position is already there")
        order["client_order_id"] = f"sig{signal_pk}"
        try:
            submit = parse_order(order, account_id=account.pk, exchange=account.exchange, currency=account.currency)
        except ApiError as exc:
            return finish(InboundSignal.Status.REJECTED, exc.error_code, str(exc.detail))
    try:
        reply = gateway.send(submit, account_id=account.pk)
    except ApiError as exc:  # engine_unavailable: let Celery's redelivery or a resend retry it
        with tenant_context(tenant_id):
            return finish(InboundSignal.Status.FAILED, exc.error_code, str(exc.detail))
    with tenant_context(tenant_id):
        order_id = str((reply.order or {}).get("id", ""))
        if reply.ok or reply.duplicate:
            return finish(InboundSignal.Status.PLACED, "", "", order_id)
        return finish(InboundSignal.Status.REJECTED, reply.code or "rejected", reply.message, order_id)
