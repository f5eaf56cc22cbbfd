"""Writes of the marketplace. API-side functions run in the caller's tenant context; functions
marked *system* act across tenants (validation task, staff review, billing) and bypass RLS explicitly."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone

from backend.billing import events
from backend.engine.market.intervals import INTERVALS
from backend.engine.sandbox import SandboxError, parse_manifest
from backend.marketplace import semver
from backend.marketplace.models import (
    ENTITLED_STATUSES,
    Listing,
    ListingVersion,
    PublisherProfile,
    Review,
    RiskLevel,
    Subscription,
    SubscriptionStatus,
    VersionStatus,
)
from backend.marketplace.text import MAX_MARKDOWN, render_description
from backend.ops.errors import ApiError
from backend.strategies import services as strategy_services
from backend.tenancy.context import dangerously_bypass_rls, tenant_context

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
WASM_MAGIC = b"\0asm"
# Listing pages are /marketplace/<slug> in the web app; these paths there are other screens.
RESERVED_SLUGS = frozenset({"subscriptions", "publisher"})


def bad(code: str, message: str, status: int = 400, field: str | None = None) -> ApiError:
    return ApiError(code=code, message=message, status_code=status, detail={"field": field} if field else None)


# == publishers and listings ===================================================================
def publisher_set(*, tenant_id: int, display_name: object, enabled: object) -> PublisherProfile:
    if not isinstance(display_name, str) or not 0 < len(display_name.strip()) <= 100:
        raise bad("invalid_name", "display_name must be 1..100 characters", field="display_name")
    if not isinstance(enabled, bool):
        raise bad("invalid_input", "enabled must be true or false", field="enabled")
    profile, _ = PublisherProfile.objects.update_or_create(
        tenant_id=tenant_id, defaults={"display_name": display_name.strip(), "enabled": enabled}
    )
    return profile  # type: ignore[no-any-return]


def _strings(
    data: dict[str, Any], key: str, *, limit: int, item_max: int, allowed: set[str] | None = None
) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or len(value) > limit:
        raise bad("invalid_input", f"{key} must be a list of at most {limit} strings", field=key)
    for item in value:
        if not isinstance(item, str) or not 0 < len(item) <= item_max or (allowed and item not in allowed):
            raise bad("invalid_input", f"{key}: {item!r} is not allowed", field=key)
    return list(dict.fromkeys(value))


def _listing_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def text(key: str, max_len: int, required: bool) -> None:
        if key not in data:
            if required and not partial:
                raise bad("invalid_input", f"{key} is required", field=key)
            return
        value = data[key]
        if not isinstance(value, str) or len(value) > max_len or (required and not value.strip()):
            raise bad("invalid_input", f"{key} must be a string of at most {max_len} characters", field=key)
        out[key] = value.strip() if key != "description" else value

    text("name", 100, True)
    text("summary", 280, True)
    text("category", 32, True)
    text("description", MAX_MARKDOWN, False)
    if "description" in out:
        out["description_md"] = out.pop("description")
        out["description_html"] = render_description(out["description_md"])
    if "tags" in data or not partial:
        out["tags"] = _strings(data, "tags", limit=10, item_max=32)
    if "markets" in data or not partial:
        out["markets"] = _strings(data, "markets", limit=20, item_max=64)
    if "intervals" in data or not partial:
        out["intervals"] = _strings(data, "intervals", limit=len(INTERVALS), item_max=8, allowed=set(INTERVALS))
    if "risk_level" in data:
        if data["risk_level"] not in RiskLevel.values:
            raise bad("invalid_input", f"risk_level must be one of {', '.join(RiskLevel.values)}", field="risk_level")
        out["risk_level"] = data["risk_level"]
    if "price_cents" in data or not partial:
        price = data.get("price_cents", 0)
        if isinstance(price, bool) or not isinstance(price, int) or price < 0 or price > 100_000_00:
            raise bad("invalid_price", "price_cents must be a whole number of cents, 0 (free) or more", field="price")
        out["price_cents"] = price
    return out


def listing_create(*, tenant_id: int, data: dict[str, Any]) -> Listing:
    profile = PublisherProfile.objects.filter(tenant_id=tenant_id).first()
    if profile is None or not profile.enabled:
        raise bad("publisher_disabled", "enable your publisher profile first (POST /marketplace/publisher)", 403)
    slug = data.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise bad("invalid_slug", "slug: 3..64 lower-case letters, digits and dashes", field="slug")
    if slug in RESERVED_SLUGS:
        raise bad("slug_taken", f"the slug {slug!r} is reserved", 409, field="slug")
    fields = _listing_fields(data, partial=False)
    with dangerously_bypass_rls():  # slugs are global: another tenant's slug must be seen to be refused
        taken = Listing.unscoped.filter(slug=slug).exists()
    if taken:
        raise bad("slug_taken", f"the slug {slug!r} is taken", 409, field="slug")
    try:
        with transaction.atomic():
            return Listing.objects.create(tenant_id=tenant_id, slug=slug, **fields)  # type: ignore[no-any-return]
    except IntegrityError:  # a concurrent create of the same slug
        raise bad("slug_taken", f"the slug {slug!r} is taken", 409, field="slug") from None


def listing_update(listing: Listing, data: dict[str, Any]) -> Listing:
    unknown = sorted(set(data) - {"name", "summary", "category", "description", "tags", "markets", "intervals",
                                  "risk_level", "price_cents"})  # fmt: skip
    if unknown:
        raise bad("immutable_field", f"{unknown[0]} cannot be changed here", field=unknown[0])
    for key, value in _listing_fields(data, partial=True).items():
        setattr(listing, key, value)
    listing.save()
    return listing


# == versions ==================================================================================
def version_upload(
    *, tenant_id: int, listing: Listing, version: object, changelog: object, wasm: bytes, manifest: object,
    queue_validation: bool = True,
) -> ListingVersion:  # fmt: skip
    """Cheap checks now (4xx, nothing written); the sandbox's validation runs as a Celery task
    (or, with queue_validation false, is left to the caller: the platform's own seed runs it in-process)."""
    key = semver.parse(version)
    if key is None:
        raise bad("invalid_version", "version must be a semantic version MAJOR.MINOR.PATCH", field="version")
    if not wasm.startswith(WASM_MAGIC):
        raise bad("not_wasm", "the module is not a WebAssembly binary (no \\0asm header)", 415, field="module")
    try:
        parsed = parse_manifest(manifest)
    except SandboxError as exc:
        raise bad("manifest_invalid", f"the manifest fails the schema: {exc.message}", field="manifest") from None
    if not isinstance(changelog, str) or len(changelog) > 4000:
        raise bad("invalid_input", "changelog must be a string of at most 4000 characters", field="changelog")
    if ListingVersion.objects.filter(listing=listing, version=version).exists():
        raise bad("duplicate_version", f"version {version} of this listing exists", 409, field="version")
    with transaction.atomic():
        row = ListingVersion.objects.create(
            tenant_id=tenant_id, listing=listing, version=version, semver_key=list(key), changelog=changelog,
            manifest=parsed.as_dict(), sha256=hashlib.sha256(wasm).hexdigest(), size=len(wasm), upload=wasm,
        )  # fmt: skip
        if queue_validation:
            from backend.marketplace.tasks import validate_version

            transaction.on_commit(lambda: validate_version.delay(row.pk, tenant_id))
    return row  # type: ignore[no-any-return]


def version_validated(version_id: int, tenant_id: int, *, module_id: int | None, report: dict[str, Any],
                      backtest: dict[str, Any] | None) -> None:  # fmt: skip
    """*task*: record the validation (and backtest); accepted versions move to in_review, bytes out of the row."""
    with tenant_context(tenant_id):
        row = ListingVersion.objects.select_for_update().get(pk=version_id)
        if row.status != VersionStatus.VALIDATING:
            return  # a redelivered task
        row.validation = report
        if module_id is None:
            row.status = VersionStatus.REJECTED
            row.reject_reason = f"validation: {report.get('code')}: {report.get('message')}"
        else:
            row.module_id = module_id
            row.upload = b""
            row.backtest = backtest or {}
            # Validated and backtested, then straight to staff review: the flow has no step between the
            # attached backtest and review (no publisher "submit"), so `backtested` is not a resting state.
            row.status = VersionStatus.IN_REVIEW
        row.save()


def _refresh_listing(listing_id: int) -> None:
    """*system*: the listing's latest published version, its public flag and backtest figures."""
    with dangerously_bypass_rls():
        listing = Listing.unscoped.select_for_update().get(pk=listing_id)
        latest = (
            ListingVersion.unscoped.filter(listing_id=listing_id, status=VersionStatus.PUBLISHED)
            .order_by("-semver_key")
            .first()
        )
        listing.latest_version = latest
        listing.public = latest is not None
        metrics = (latest.backtest.get("metrics") or {}) if latest else {}
        listing.bt_return = metrics.get("total_return")
        listing.bt_sharpe = metrics.get("sharpe")
        listing.bt_max_drawdown = metrics.get("max_drawdown")
        if latest and listing.published_at is None:
            listing.published_at = timezone.now()
        listing.save()


def version_review(version_id: int, *, approve: bool, reason: str = "") -> ListingVersion:
    """*staff*: approve (published) or reject with a reason a version waiting in review."""
    with dangerously_bypass_rls(), transaction.atomic():
        row = ListingVersion.unscoped.select_for_update().get(pk=version_id)
        if row.status != VersionStatus.IN_REVIEW:
            raise ValueError(f"version {row} is not in review")
        if not approve and not reason.strip():
            raise ValueError("a rejection needs a reason")
        now = timezone.now()
        row.status = VersionStatus.PUBLISHED if approve else VersionStatus.REJECTED
        row.reject_reason = "" if approve else reason.strip()
        row.reviewed_at = now
        row.published_at = now if approve else None
        row.save()
        _refresh_listing(row.listing_id)
        if approve:
            from backend.marketplace import reference

            reference.start(row)  # the verified live (out-of-sample) record starts at publication
            follow_latest(row)
    return row  # type: ignore[no-any-return]


def _moved_members(
    members: list[dict[str, Any]], version: ListingVersion, interval: str
) -> list[dict[str, Any]] | None:
    """The members with every member of the version's listing on the new version (params kept where the new
    manifest still has them), or None when nothing changes or the new version cannot run this deployment."""
    manifest = parse_manifest(version.manifest)
    if interval not in manifest.intervals:
        return None
    known = {p.name for p in manifest.params}
    out, changed = [], False
    for member in members:
        ours = member.get("kind") == "listing" and member.get("listing") == version.listing_id
        if ours and member["ref"] != version.pk:
            kept = {k: v for k, v in (member.get("params") or {}).items() if k in known}
            try:
                params = manifest.resolve(kept)
            except SandboxError:
                params = manifest.resolve({})
            member = {**member, "ref": version.pk, "name": manifest.name, "version": manifest.version, "params": params}
            changed = True
        out.append(member)
    return out if changed else None


def follow_latest(version: ListingVersion) -> int:
    """*system* (on publish): deployments of tenants whose subscription follows the latest version move to the
    newly published one (members rewritten, config_version bumped so the runner rebuilds them, an audit event
    per move); pinned subscriptions, the publisher's own deployments and reference deployments stay. Running
    and paused deployments move (a paused one resumes on the latest); stopped/errored ones are left alone."""
    from backend.strategies.models import Deployment, DeploymentStatus
    from backend.tenancy import audit

    moved = 0
    with dangerously_bypass_rls():
        listing = Listing.unscoped.get(pk=version.listing_id)
        if listing.latest_version_id != version.pk:
            return 0  # an older line's patch: "latest" is still another version
        tenants = list(
            Subscription.unscoped.filter(listing_id=version.listing_id, follow_latest=True).values_list(
                "tenant_id", flat=True
            )
        )
        rows = Deployment.unscoped.select_for_update().filter(
            tenant_id__in=tenants,
            status__in=[DeploymentStatus.RUNNING, DeploymentStatus.PAUSED],
            members__contains=[{"kind": "listing", "listing": version.listing_id}],
        )
        for deployment in rows:
            members = _moved_members(deployment.members, version, deployment.interval)
            if members is None:
                continue
            before = sorted({str(m.get("version")) for m in deployment.members if m.get("kind") == "listing"})
            Deployment.unscoped.filter(pk=deployment.pk).update(
                members=members, config_version=F("config_version") + 1, updated_at=timezone.now()
            )
            audit.record(
                "marketplace.deployment.followed_latest", tenant_id=deployment.tenant_id,
                actor_label="marketplace (follow latest)", target=f"deployment {deployment.pk}",
                data={"listing": listing.slug, "from": before, "to": version.version, "version_id": version.pk},
            )  # fmt: skip
            moved += 1
    return moved


def version_yank(row: ListingVersion) -> ListingVersion:
    """Publisher (or staff): withdraw a published version; every deployment running it is paused."""
    if row.status != VersionStatus.PUBLISHED:
        raise bad("not_published", "only a published version can be yanked", 409)
    row.status = VersionStatus.YANKED
    row.yanked_at = timezone.now()
    row.save()
    _refresh_listing(row.listing_id)
    strategy_services.pause_matching(
        members_contains=[{"kind": "listing", "ref": row.pk}],
        code="version_yanked",
        message=f"version {row.version} of this marketplace strategy was withdrawn by its publisher; "
        "deploy another version",
    )
    return row


# == subscriptions =============================================================================
def _count_subscribers(listing_id: int) -> None:
    with dangerously_bypass_rls():
        n = Subscription.unscoped.filter(listing_id=listing_id, status__in=ENTITLED_STATUSES).count()
        Listing.unscoped.filter(pk=listing_id).update(subscriber_count=n)


def public_listing(slug: object) -> Listing:
    listing = Listing.unscoped.filter(slug=slug, public=True).first() if isinstance(slug, str) else None
    if listing is None:
        raise bad("unknown_listing", f"no published listing {slug!r}", 404, field="listing")
    return listing  # type: ignore[no-any-return]


def _pin(listing: Listing, follow_latest: object, pinned: object) -> ListingVersion | None:
    """The version a subscription pins: None when it follows the latest, else a published version."""
    if not isinstance(follow_latest, bool):
        raise bad("invalid_input", "follow_latest must be true or false", field="follow_latest")
    if follow_latest:
        return None
    row = ListingVersion.unscoped.filter(listing=listing, version=pinned, status=VersionStatus.PUBLISHED).first()
    if row is None:
        raise bad("unknown_version", "pin a published version of the listing", field="version")
    return row  # type: ignore[no-any-return]


def subscription_prepare(*, tenant_id: int, listing: Listing, follow_latest: object, pinned: object) -> Subscription:
    """The tenant's subscription row for a listing (pending until paid; active at once when free)."""
    if listing.tenant_id == tenant_id:
        raise bad("own_listing", "a publisher cannot subscribe to its own listing", field="listing")
    pinned_row = _pin(listing, follow_latest, pinned)
    sub = Subscription.objects.filter(listing=listing).first()
    if sub is not None and sub.status in ENTITLED_STATUSES:
        raise bad("already_subscribed", "this tenant is already subscribed", 409)
    if sub is None:
        sub = Subscription(tenant_id=tenant_id, listing=listing)
    sub.follow_latest, sub.pinned_version = pinned_row is None, pinned_row
    sub.status = SubscriptionStatus.ACTIVE if listing.is_free else SubscriptionStatus.PENDING
    sub.updated_at = timezone.now()
    sub.save()
    if listing.is_free:
        _count_subscribers(listing.pk)
    return sub


def subscription_set_pin(sub: Subscription, *, follow_latest: object, pinned: object) -> Subscription:
    """The subscriber moves between following the latest version and pinning a published one. New deployments
    and starts are checked against it (entitlements.py); running deployments keep their version until the next
    release moves followers (follow_latest) or the tenant redeploys."""
    if sub.status == SubscriptionStatus.CANCELLED:
        raise bad("subscription_cancelled", "the subscription is cancelled; subscribe again", 409)
    pinned_row = _pin(sub.listing, follow_latest, pinned)
    sub.follow_latest, sub.pinned_version = pinned_row is None, pinned_row
    sub.updated_at = timezone.now()
    sub.save(update_fields=["follow_latest", "pinned_version", "updated_at"])
    return sub


def subscription_set_status(sub_id: int, status: str, *, grace_until: Any = None, state_at: int | None = None,
                            stripe_subscription_id: str = "", stripe_customer_id: str = "") -> bool:  # fmt: skip
    """*system* (billing, staff): move a subscription; lapsed/cancelled pause its deployments.
    With state_at (a Stripe event's `created`), an older state than the one applied is ignored."""
    with dangerously_bypass_rls(), transaction.atomic():
        sub = Subscription.unscoped.select_for_update().filter(pk=sub_id).first()
        if sub is None or (state_at is not None and state_at < sub.stripe_state_at):
            return False
        if state_at is not None:
            sub.stripe_state_at = state_at
        if status == SubscriptionStatus.LAPSED and sub.status != SubscriptionStatus.LAPSED:
            # Published once the lapse commits: the alert engine's subscription_lapsed rules.
            events.subscription_lapsed(
                tenant_id=sub.tenant_id, subscription_id=sub.pk, kind="listing", listing_id=sub.listing_id
            )
        sub.status = status
        sub.grace_until = grace_until if status == SubscriptionStatus.PAST_DUE else None
        sub.stripe_subscription_id = stripe_subscription_id or sub.stripe_subscription_id
        sub.stripe_customer_id = stripe_customer_id or sub.stripe_customer_id
        sub.updated_at = timezone.now()
        sub.save()
        if status in (SubscriptionStatus.LAPSED, SubscriptionStatus.CANCELLED):
            strategy_services.pause_matching(
                members_contains=[{"kind": "listing", "listing": sub.listing_id}],
                tenant_id=sub.tenant_id,
                code=f"subscription_{status}",
                message=f"the marketplace subscription is {status}; renew it to resume this deployment",
            )
        _count_subscribers(sub.listing_id)
    return True


def lapse_overdue() -> int:
    """*system* (beat): past_due subscriptions whose grace period ended lapse; their deployments pause."""
    with dangerously_bypass_rls():
        ids = list(
            Subscription.unscoped.filter(
                status=SubscriptionStatus.PAST_DUE, grace_until__lt=timezone.now()
            ).values_list("pk", flat=True)
        )
    for sub_id in ids:
        subscription_set_status(sub_id, SubscriptionStatus.LAPSED)
    return len(ids)


# == reviews ===================================================================================
def review_upsert(*, tenant_id: int, listing: Listing, stars: object, text: object) -> tuple[Review, bool]:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise bad("invalid_stars", "stars must be a whole number 1..5", field="stars")
    if not isinstance(text, str) or len(text) > 4000:
        raise bad("invalid_input", "text must be a string of at most 4000 characters", field="text")
    entitled = Subscription.objects.filter(listing=listing, status__in=ENTITLED_STATUSES).exists()
    if not entitled:
        raise bad("not_subscribed", "only tenants subscribed to a listing can review it", 403)
    review, created = Review.objects.update_or_create(
        tenant_id=tenant_id, listing=listing, defaults={"stars": stars, "text": text, "updated_at": timezone.now()}
    )
    with dangerously_bypass_rls():
        agg = Review.unscoped.filter(listing=listing).aggregate(n=Count("pk"), avg=Avg("stars"))
        Listing.unscoped.filter(pk=listing.pk).update(rating_count=agg["n"], rating_avg=agg["avg"])
    return review, created
