"""Who may deploy a marketplace version: the publisher itself, anyone for a free listing, or a
tenant whose subscription is active (or past_due inside its grace period). Checked on deployment
create and start (backend/strategies/validation.py); a lapse or yank pauses running ones.

Runs in the caller's tenant context: the version and listing are read through their public-read
policies, the subscription through the tenant's own rows.
"""

from __future__ import annotations

from backend.marketplace.models import ENTITLED_STATUSES, Listing, ListingVersion, Subscription, VersionStatus
from backend.ops.errors import ApiError
from backend.tenancy.context import current_tenant_id, dangerously_bypass_rls


def _refuse(code: str, message: str, where: str, status: int = 403) -> ApiError:
    return ApiError(code=code, message=f"{where}: {message}", status_code=status, detail={"field": where})


def deployable_version(version_id: object, where: str) -> ListingVersion:
    tenant_id = current_tenant_id()
    if tenant_id is None or isinstance(version_id, bool) or not isinstance(version_id, int):
        raise _refuse("unknown_listing_version", "listing_version must be a version id", where, 400)
    row = ListingVersion.unscoped.filter(pk=version_id).first()  # RLS: own rows, or published/yanked ones
    own = row is not None and row.tenant_id == tenant_id
    if row is None or (not own and row.status not in (VersionStatus.PUBLISHED, VersionStatus.YANKED)):
        raise _refuse("unknown_listing_version", f"no published marketplace version {version_id}", where, 400)
    if row.status == VersionStatus.YANKED:
        raise _refuse("version_yanked", f"version {row.version} was withdrawn by its publisher", where, 409)
    if own and row.status != VersionStatus.PUBLISHED:
        raise _refuse("version_not_published", f"version {row.version} is {row.status}", where, 409)
    with dangerously_bypass_rls():  # the listing of a visible version (private again once all are yanked)
        row.listing = Listing.unscoped.get(pk=row.listing_id)
    if own or row.listing.is_free:
        return row
    sub = Subscription.objects.filter(listing_id=row.listing_id).first()
    if sub is None:
        raise _refuse("subscription_required", f"subscribe to {row.listing.slug} to deploy it", where)
    if sub.status not in ENTITLED_STATUSES:
        raise _refuse(f"subscription_{sub.status}", f"the subscription to {row.listing.slug} is {sub.status}", where)
    if not sub.follow_latest and sub.pinned_version_id not in (None, row.pk):
        raise _refuse("version_not_pinned", "the subscription is pinned to another version", where)
    return row
