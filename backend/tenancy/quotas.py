from __future__ import annotations

from backend.ops.errors import ApiError
from backend.tenancy.models import Tier


def check_quota(*, tenant_id: int, quota: str, used: int) -> None:
    """Refuse creating one more of something when the tier's quota is used up (403)."""
    if quota not in Tier.QUOTA_FIELDS:
        raise ValueError(f"unknown quota {quota!r}")
    tier = Tier.objects.get(tenants__id=tenant_id)
    limit = getattr(tier, quota)
    if used >= limit:
        raise ApiError(
            code="quota_exceeded",
            message=f"The {tier.name} tier allows {limit} {quota.replace('_', ' ')}.",
            status_code=403,
            detail={"quota": quota, "limit": limit, "used": used, "tier": tier.code},
        )
