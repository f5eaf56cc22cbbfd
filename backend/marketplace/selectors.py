"""Reads of the marketplace, including the deliberate cross-tenant public reads.

Public reads run without a tenant context and through the `unscoped` managers: PostgreSQL's
public_read policies (migration 0002) are what lets them see other tenants' published rows,
and the explicit filters here say the same thing again (belt and braces).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from backend.engine.market.intervals import INTERVALS
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, RiskLevel, VersionStatus
from backend.strategies.models import Deployment, DeploymentStatus, StrategyModule
from backend.tenancy.context import dangerously_bypass_rls

SORTS = {
    "newest": [F("published_at").desc(nulls_last=True)],
    "return": [F("bt_return").desc(nulls_last=True)],
    "drawdown": [F("bt_max_drawdown").asc(nulls_last=True)],  # shallowest first
    "sharpe": [F("bt_sharpe").desc(nulls_last=True)],
    "subscribers": [F("subscriber_count").desc()],
    "price": [F("price_cents").asc()],
    "-price": [F("price_cents").desc()],
    "rating": [F("rating_avg").desc(nulls_last=True)],
}


@dataclass(frozen=True)
class Browse:
    """The catalogue's filters and order, already validated (api.py answers 400 on bad ones)."""

    q: str = ""
    category: str = ""
    tag: str = ""
    market: str = ""
    interval: str = ""
    risk_level: str = ""
    free: bool | None = None  # True: free only; False: paid only
    sort: str = "newest"


def _with_publisher(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """`publisher_name`: the publishing tenant's display name (profiles are public once enabled)."""
    name = PublisherProfile.unscoped.filter(tenant_id=OuterRef("tenant_id")).values("display_name")[:1]
    return qs.annotate(publisher_name=Subquery(name))


def public_listings(browse: Browse) -> QuerySet[Listing]:
    qs = Listing.unscoped.filter(public=True)
    if q := browse.q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(summary__icontains=q) | Q(tags__contains=[q.lower()]))
    if browse.category:
        qs = qs.filter(category=browse.category)
    if browse.risk_level:
        qs = qs.filter(risk_level=browse.risk_level)
    for value, field in ((browse.tag, "tags"), (browse.market, "markets"), (browse.interval, "intervals")):
        if value:
            qs = qs.filter(**{f"{field}__contains": [value]})
    if browse.free is not None:
        qs = qs.filter(price_cents=0) if browse.free else qs.filter(price_cents__gt=0)
    return _with_publisher(qs.select_related("latest_version")).order_by(*SORTS[browse.sort], "pk")


FACET_VALUES = 50


def public_facets() -> dict[str, Any]:
    """What the catalogue's filters can choose from, with how many published listings have each value.
    Counted in Python over the public rows: the catalogue is small, and unnesting arrays in SQL buys nothing yet."""
    counters: dict[str, Counter[str]] = {k: Counter() for k in ("categories", "tags", "markets", "intervals")}
    risk: Counter[str] = Counter()
    free = total = 0
    rows = Listing.unscoped.filter(public=True).values_list(
        "category", "tags", "markets", "intervals", "risk_level", "price_cents"
    )
    for category, tags, markets, intervals, risk_level, price_cents in rows:
        total += 1
        free += price_cents == 0
        counters["categories"][category] += 1
        counters["tags"].update(tags)
        counters["markets"].update(markets)
        counters["intervals"].update(intervals)
        risk[risk_level] += 1

    def ranked(counter: Counter[str]) -> list[dict[str, Any]]:
        top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]
        return [{"value": v, "count": n} for v, n in top]

    return {
        "total": total,
        "free": free,
        "paid": total - free,
        **{name: ranked(counter) for name, counter in counters.items() if name != "intervals"},
        # Intervals and risk levels in their natural order, not by count.
        "intervals": [{"value": i, "count": counters["intervals"][i]} for i in INTERVALS if counters["intervals"][i]],
        "risk_levels": [{"value": r, "count": risk[r]} for r in RiskLevel.values if risk[r]],
    }


def public_listing(slug: str) -> Listing | None:
    qs = Listing.unscoped.filter(slug=slug, public=True).select_related("latest_version")
    return _with_publisher(qs).first()  # type: ignore[no-any-return]


def public_versions(listing: Listing) -> list[ListingVersion]:
    qs = ListingVersion.unscoped.filter(listing=listing, status__in=[VersionStatus.PUBLISHED, VersionStatus.YANKED])
    return list(qs.defer("upload").order_by("-semver_key"))


def public_reviews(listing: Listing, limit: int = 100) -> list[Review]:
    return list(Review.unscoped.filter(listing=listing).order_by("-updated_at")[:limit])


def track_record(listing: Listing) -> dict[str, Any]:
    """The platform-computed record of the latest published version: its validation backtest (in-sample,
    hypothetical), the live paper record of its platform-owned reference deployment since publication
    (out-of-sample, marketplace/reference.py) and whether the author runs the same version on its own account."""
    from backend.marketplace import reference

    version = listing.latest_version
    if version is None:
        return {}
    with dangerously_bypass_rls():  # the badge looks at the author's deployments: a yes/no, nothing else
        author_runs_it = Deployment.unscoped.filter(
            tenant_id=listing.tenant_id, status=DeploymentStatus.RUNNING,
            members__contains=[{"kind": "module", "ref": version.module_id}],
        ).exists()  # fmt: skip
    return {
        "version": version.version,
        "computed_by": "platform",
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "in_sample": {**version.backtest, "label": "hypothetical"} if version.backtest else {},
        "out_of_sample": reference.out_of_sample(version),
        "author_runs_this_version": author_runs_it,
    }


def runner_modules(version_ids: set[int]) -> dict[int, StrategyModule]:
    """*runner*: the modules of marketplace versions (published or yanked: yanked ones are paused anyway)."""
    if not version_ids:
        return {}
    with dangerously_bypass_rls():
        rows = ListingVersion.unscoped.filter(
            pk__in=version_ids, status__in=[VersionStatus.PUBLISHED, VersionStatus.YANKED], module__isnull=False
        ).select_related("module")
        return {v.pk: v.module for v in rows}


def listing_stats(listing: Listing) -> dict[str, Any]:
    """*publisher*: the subscribers of one of the caller's own listings by status, and its revenue from paid
    listing invoices (gross and the publisher's share). Subscriptions and invoices belong to the subscribing
    tenants, so this reads across tenants, but only aggregates (no subscriber is named) and only for a listing
    the caller already fetched through its tenant-scoped queryset."""
    from collections import defaultdict
    from datetime import UTC, datetime, timedelta

    from django.db.models import Count

    from backend.billing.models import Invoice
    from backend.marketplace.models import ENTITLED_STATUSES, Subscription, SubscriptionStatus

    with dangerously_bypass_rls():
        rows = Subscription.unscoped.filter(listing_id=listing.pk).values("status").annotate(n=Count("pk"))
        counts = dict.fromkeys(SubscriptionStatus.values, 0)
        counts.update({row["status"]: row["n"] for row in rows})
        invoices = list(Invoice.unscoped.filter(listing_id=listing.pk, publisher_id=listing.tenant_id, kind="listing"))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"gross_cents": 0, "publisher_cents": 0, "paid": 0})
    months: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"gross_cents": 0, "publisher_cents": 0, "invoices": 0}
    )
    since = (datetime.now(UTC) - timedelta(days=366)).timestamp()
    for invoice in invoices:
        if invoice.status != "paid":
            continue
        currency = invoice.currency or "usd"
        total = totals[currency]
        total["gross_cents"] += invoice.amount_paid
        total["publisher_cents"] += invoice.publisher_share_cents
        total["paid"] += 1
        if invoice.created >= since:
            month = datetime.fromtimestamp(invoice.created, UTC).strftime("%Y-%m")
            bucket = months[(month, currency)]
            bucket["gross_cents"] += invoice.amount_paid
            bucket["publisher_cents"] += invoice.publisher_share_cents
            bucket["invoices"] += 1
    return {
        "subscribers": counts,
        "entitled": sum(counts[s] for s in ENTITLED_STATUSES),
        "revenue": [
            {
                "currency": c,
                "gross_cents": t["gross_cents"],
                "publisher_cents": t["publisher_cents"],
                "paid_invoices": t["paid"],
            }
            for c, t in sorted(totals.items())
        ],
        "failed_invoices": sum(1 for i in invoices if i.status != "paid"),
        "monthly": [{"month": m, "currency": c, **v} for (m, c), v in sorted(months.items(), reverse=True)],
    }


def listings_revenue(publisher_id: int, listing_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """*publisher*: revenue per listing (paid invoices: gross, the publisher's share, count; one row per currency)
    for a page of the caller's own listings, in one query. Aggregates only, like listing_stats."""
    from collections import defaultdict

    from backend.billing.models import Invoice

    with dangerously_bypass_rls():
        invoices = Invoice.unscoped.filter(
            listing_id__in=listing_ids, publisher_id=publisher_id, kind="listing", status="paid"
        ).only("listing_id", "currency", "amount_paid", "platform_fee_percent", "kind", "status")
        sums: dict[tuple[int, str], dict[str, Any]] = {}
        for invoice in invoices:
            currency = invoice.currency or "usd"
            row = sums.setdefault(
                (invoice.listing_id, currency),
                {"currency": currency, "gross_cents": 0, "publisher_cents": 0, "paid_invoices": 0},
            )
            row["gross_cents"] += invoice.amount_paid
            row["publisher_cents"] += invoice.publisher_share_cents
            row["paid_invoices"] += 1
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (listing_id, _), row in sorted(sums.items()):
        out[listing_id].append(row)
    return dict(out)
