"""Tier limits (and whether the tenant is active), cached for the per-request checks.

Invalidated when a tenant is saved (tier change, deactivation) or a tier's limits are
edited, so the change applies from the next request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache

from backend.tenancy.models import Tenant, Tier

CACHE_TTL_S = 600


@dataclass(frozen=True)
class TierInfo:
    code: str
    requests_per_minute: int
    requests_per_day: int
    tenant_active: bool = True
    history_days: int = 30


def cache_key(tenant_id: int) -> str:
    return f"tenant-tier:{tenant_id}"


def tier_of(tenant_id: int) -> TierInfo:
    cached = cache.get(cache_key(tenant_id))
    if cached is not None:
        return TierInfo(**cached)
    tenant = Tenant.objects.select_related("tier").get(pk=tenant_id)
    tier = tenant.tier
    info = TierInfo(tier.code, tier.requests_per_minute, tier.requests_per_day, tenant.is_active, tier.history_days)
    cache.set(cache_key(tenant_id), asdict(info), CACHE_TTL_S)
    return info


def forget_tenant(tenant_id: int) -> None:
    cache.delete(cache_key(tenant_id))


def forget_tier(tier: Tier) -> None:
    cache.delete_many([cache_key(pk) for pk in Tenant.objects.filter(tier=tier).values_list("pk", flat=True)])


def default_tier_info(code: str) -> TierInfo:
    tier = Tier.objects.get(code=code)
    return TierInfo(tier.code, tier.requests_per_minute, tier.requests_per_day, True, tier.history_days)
