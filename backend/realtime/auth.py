"""Who a WebSocket connection acts for (synchronous: called through database_sync_to_async)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.marketdata import instruments, selectors
from backend.tenancy import apikeys
from backend.tenancy import selectors as tenancy_selectors
from backend.tenancy.models import Tier


@dataclass(frozen=True)
class WsPrincipal:
    tenant_id: int
    connection_limit: int
    label: str


@dataclass(frozen=True)
class AuthFailure:
    code: str
    message: str


def _limit(tenant_id: int) -> int:
    return int(Tier.objects.get(tenants__id=tenant_id).websocket_connections)


def from_api_key(raw: str) -> WsPrincipal | AuthFailure:
    try:
        key_id, secret = apikeys.parse(raw.strip())
    except apikeys.MalformedKey:
        return AuthFailure("api_key_malformed", "The API key is malformed.")
    found, tier = tenancy_selectors.api_key_and_tier(key_id)
    if found is None or tier is None or not apikeys.secret_matches(secret, found.secret_hash):
        return AuthFailure("api_key_invalid", "The API key is not valid.")
    if found.revoked or found.expired():
        return AuthFailure("api_key_revoked", "The API key is revoked or expired.")
    if not tier.tenant_active:
        return AuthFailure("tenant_inactive", "This tenant is deactivated.")
    return WsPrincipal(found.tenant_id, _limit(found.tenant_id), f"key {key_id}")


def from_scope(user: Any, api_key: str | None, tenant_ref: str | None) -> WsPrincipal | AuthFailure | None:
    if api_key:
        return from_api_key(api_key)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if tenant_ref:
        membership = tenancy_selectors.membership_in(user.pk, tenant_ref)
    else:
        memberships = tenancy_selectors.memberships_of(user.pk)
        membership = memberships[0] if len(memberships) == 1 else None
    if membership is None:
        return AuthFailure("tenant_required", "Pass ?tenant=<id or slug> of a tenant you belong to.")
    return WsPrincipal(membership.tenant_id, _limit(membership.tenant_id), user.email)


def known_market(exchange: str, symbol: str) -> bool:
    return instruments.get(exchange, symbol) is not None


def last_kline(exchange: str, symbol: str, interval: str) -> dict[str, Any] | None:
    rows = selectors.klines(exchange=exchange, symbol=symbol, interval=interval, start_ms=None, end_ms=None, limit=1)
    if not rows:
        return None
    k = rows[-1]
    return {
        "exchange": exchange,
        "symbol": symbol,
        "interval": interval,
        "open_time": k.open_time,
        "close_time": k.close_time,
        "open": str(k.open),
        "high": str(k.high),
        "low": str(k.low),
        "close": str(k.close),
        "volume": str(k.volume),
        "quote_volume": str(k.quote_volume),
        "trades": k.trades,
    }
