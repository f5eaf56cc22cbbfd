"""Reads of tenancy data that cross the usual scoping, each narrow and named."""

from __future__ import annotations

from django.core.cache import cache

from backend.tenancy import apikeys, tiers
from backend.tenancy.context import dangerously_bypass_rls, user_context
from backend.tenancy.models import ApiKey, Membership, Tenant
from backend.tenancy.tiers import TierInfo

# A key never moves to another tenant, so which tenant a key id belongs to can be
# remembered for the life of the process; it lets one cache round trip fetch both the
# key and its tenant's tier.
_tenant_of_key: dict[str, int] = {}


def api_key_and_tier(key_id: str) -> tuple[apikeys.CachedKey | None, TierInfo | None]:
    """The key (by public id) and its tenant's tier info, in one cache round trip when warm."""
    tenant_id = _tenant_of_key.get(key_id)
    if tenant_id is None:
        found = api_key_lookup(key_id)
        if found is None:
            return None, None
        _tenant_of_key[key_id] = found.tenant_id
        return found, tiers.tier_of(found.tenant_id)
    key_cache, tier_cache = apikeys.cache_key(key_id), tiers.cache_key(tenant_id)
    cached = cache.get_many([key_cache, tier_cache])
    found = apikeys.CachedKey.from_dict(cached[key_cache]) if key_cache in cached else api_key_lookup(key_id)
    tier = TierInfo(**cached[tier_cache]) if tier_cache in cached else tiers.tier_of(tenant_id)
    return found, tier


def api_key_lookup(key_id: str) -> apikeys.CachedKey | None:
    """The key row by its public id, from cache or (bypassing RLS, as the tenant is
    not known yet) from the database."""
    cached = cache.get(apikeys.cache_key(key_id))
    if cached is not None:
        return apikeys.CachedKey.from_dict(cached)
    with dangerously_bypass_rls():
        row = ApiKey.unscoped.filter(key_id=key_id).first()
    if row is None:
        return None
    found = apikeys.CachedKey(
        pk=row.pk,
        tenant_id=row.tenant_id,
        secret_hash=row.secret_hash,
        scopes=frozenset(row.scopes),
        expires_at=row.expires_at.timestamp() if row.expires_at else None,
        revoked=row.revoked_at is not None,
    )
    cache.set(apikeys.cache_key(key_id), found.as_dict(), apikeys.CACHE_TTL_S)
    return found


def memberships_of(user_id: int) -> list[Membership]:
    with user_context(user_id):
        return list(
            Membership.unscoped.filter(user_id=user_id, tenant__is_active=True).select_related("tenant", "tenant__tier")
        )


def membership_in(user_id: int, tenant_ref: str | int) -> Membership | None:
    """The user's membership in a tenant named by id or slug; None when not a member."""
    with user_context(user_id):
        qs = Membership.unscoped.filter(user_id=user_id, tenant__is_active=True).select_related("tenant")
        ref = str(tenant_ref)
        return (qs.filter(tenant_id=int(ref)) if ref.isdigit() else qs.filter(tenant__slug=ref)).first()


def tenants_of(user_id: int) -> list[Tenant]:
    return [m.tenant for m in memberships_of(user_id)]
