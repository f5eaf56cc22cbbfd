"""What a tenant uses of its tier's limits, for the plan screen (GET /api/v1/billing).

Counted the way each quota is enforced where it is enforced (trading, strategies, alerts,
backtests, realtime), so the meter and the 403 quota_exceeded agree. Call inside the tenant's
context (the billing view runs in it).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.utils import timezone

from backend.alerts.models import AlertRule, SignalEndpoint, WebhookEndpoint
from backend.backtests.models import Backtest
from backend.strategies.models import Deployment, DeploymentStatus
from backend.tenancy.models import Tier
from backend.trading import selectors as trading

# backtests.services.QUOTA_WINDOW (not imported: that module pulls in the engine).
BACKTEST_WINDOW = timedelta(days=1)

LABELS = {
    "paper_accounts": "Paper accounts",
    "live_deployments": "Running deployments",
    "alert_rules": "Active alert rules",
    "webhook_endpoints": "Webhook endpoints",
    "backtests_per_day": "Backtests (last 24 h)",
    "websocket_connections": "Live connections",
    "requests_per_minute": "API requests (this minute)",
    "requests_per_day": "API requests (today)",
}


_redis: redis.Redis | None = None


def _redis_client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings.CONFIG.redis.url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return _redis


def _websocket_connections(tenant_id: int) -> int | None:
    """Live push connections: the realtime consumer's slot set (backend.realtime.consumer._slots_key),
    whose members carry their expiry as score. None when Redis cannot be read."""
    try:
        return int(_redis_client().zcount(f"qt:ws:conns:{tenant_id}", time.time(), "+inf"))
    except redis.RedisError:
        return None


def usage(*, tenant_id: int, tier: Tier, rate: Any = None) -> list[dict[str, Any]]:
    """One row per limit: {quota, label, used, limit}; used is None where it is not metered."""
    used: dict[str, int | None] = {
        "paper_accounts": trading.active_account_count(tenant_id),
        "live_deployments": Deployment.objects.filter(tenant_id=tenant_id, status=DeploymentStatus.RUNNING).count(),
        "alert_rules": AlertRule.objects.filter(is_active=True).count(),
        # Alert webhooks and signal endpoints are each held to the limit.
        "webhook_endpoints": max(WebhookEndpoint.objects.count(), SignalEndpoint.objects.count()),
        "backtests_per_day": Backtest.objects.filter(created_at__gte=timezone.now() - BACKTEST_WINDOW).count(),
        "websocket_connections": _websocket_connections(tenant_id),
        # This request's own rate-limit windows (set by the throttle), this request included.
        "requests_per_minute": rate.minute.used if rate is not None else None,
        "requests_per_day": rate.day.used if rate is not None else None,
    }
    return [
        {"quota": quota, "label": label, "used": used[quota], "limit": int(getattr(tier, quota))}
        for quota, label in LABELS.items()
    ]
