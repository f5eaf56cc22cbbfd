"""Who a WebSocket connection acts for (synchronous: called through database_sync_to_async)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.marketdata import instruments, selectors
from backend.tenancy import apikeys
from backend.tenancy import selectors as tenancy_selectors
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tier
from backend.trading import selectors as trading_selectors


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


def positions_snapshot(tenant_id: int) -> list[dict[str, Any]]:
    """The tenant's positions over its active paper accounts, in the shape of the deltas the
    paper engine publishes on trading.position.<tenant>.<account> (flat positions included)."""
    out: list[dict[str, Any]] = []
    with tenant_context(tenant_id):
        for account in trading_selectors.accounts():
            for p in trading_selectors.positions(account.pk):
                out.append(
                    {
                        "account": account.pk,
                        "symbol": p.symbol,
                        "qty": str(p.qty),
                        "avg_entry": None if p.avg_entry is None else str(p.avg_entry),
                        "realized_pnl": str(p.realized_pnl),
                        "fees": str(p.fees),
                    }
                )
    return out
