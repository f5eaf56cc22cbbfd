"""The publisher's side of the marketplace: profile state, paged listings and versions, and a listing's
subscribers and revenue (aggregates over other tenants' subscriptions and invoices, only for its own listing)."""

from __future__ import annotations

import time

import pytest

from backend.billing.models import Invoice
from backend.marketplace.models import Listing, ListingVersion, Subscription
from backend.tenancy.context import dangerously_bypass_rls
from tests.engine.sandbox.wat import SMA_MANIFEST
from tests.marketplace.helpers import LISTING, code
from tests.tenancy.world import World

pytestmark = pytest.mark.usefixtures("builtins", "eager")


def test_publisher_state_says_whether_billing_is_on(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    empty = author.get("/api/v1/marketplace/publisher").json()
    assert empty == {"id": None, "enabled": False, "display_name": "", "billing_enabled": False}
    assert author.post("/api/v1/marketplace/publisher", {"display_name": " Alpha "}, format="json").status_code == 200
    state = author.get("/api/v1/marketplace/publisher").json()
    assert state["display_name"] == "Alpha" and state["enabled"] and state["billing_enabled"] is False
    onboarding = author.post("/api/v1/marketplace/publisher/onboarding")
    assert onboarding.status_code == 503 and code(onboarding) == "billing_disabled"


def test_listings_and_versions_page_by_keyset(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    ids = [
        author.post("/api/v1/marketplace/my-listings", {**LISTING, "slug": f"page-{i}"}, format="json").json()["id"]
        for i in range(3)
    ]
    first = author.get("/api/v1/marketplace/my-listings?limit=2").json()
    assert [r["id"] for r in first] == ids[::-1][:2] and first[0]["revenue"] == []
    rest = author.get(f"/api/v1/marketplace/my-listings?limit=2&before={first[-1]['id']}").json()
    assert [r["id"] for r in rest] == ids[:1]
    assert code(author.get("/api/v1/marketplace/my-listings?limit=0")) == "invalid_input"

    with dangerously_bypass_rls():
        listing = Listing.unscoped.get(pk=ids[0])
        versions = [
            ListingVersion.unscoped.create(
                tenant=world.tenant,
                listing=listing,
                version=f"1.0.{n}",
                semver_key=[1, 0, n],
                manifest=SMA_MANIFEST,
                sha256="0" * 64,
                size=1,
                status="in_review",
            )
            for n in (0, 2, 1)
        ]
    page = author.get(f"/api/v1/marketplace/my-listings/{listing.pk}/versions?limit=2").json()
    assert [v["version"] for v in page] == ["1.0.2", "1.0.1"]
    older = author.get(f"/api/v1/marketplace/my-listings/{listing.pk}/versions?limit=2&before={page[-1]['id']}")
    assert [v["id"] for v in older.json()] == [versions[0].pk]
    assert code(author.get(f"/api/v1/marketplace/my-listings/{listing.pk}/versions?before=x")) == "invalid_input"


def test_listing_stats_count_subscribers_and_revenue_of_own_listing_only(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    listing = author.post("/api/v1/marketplace/my-listings", {**LISTING, "price_cents": 1000}, format="json").json()
    now = int(time.time())
    with dangerously_bypass_rls():  # a subscriber tenant's rows, as billing's webhooks would write them
        Subscription.unscoped.create(tenant=world.other, listing_id=listing["id"], status="active")
        for n, (status, paid) in enumerate([("paid", 1000), ("paid", 1000), ("payment_failed", 0)]):
            Invoice.unscoped.create(
                tenant=world.other,
                stripe_invoice_id=f"in_stats_{n}",
                kind="listing",
                status=status,
                listing_id=listing["id"],
                publisher=world.tenant,
                currency="usd",
                amount_due=1000,
                amount_paid=paid,
                platform_fee_percent=20.0,
                created=now,
            )
        # Another publisher's invoice naming this listing must not count (belt and braces on publisher).
        Invoice.unscoped.create(
            tenant=world.other, stripe_invoice_id="in_stats_x", kind="listing", status="paid",
            listing_id=listing["id"], publisher=world.other, currency="usd", amount_paid=5000, created=now,
        )  # fmt: skip
    stats = author.get(f"/api/v1/marketplace/my-listings/{listing['id']}/stats").json()
    assert stats["subscribers"]["active"] == 1 and stats["subscribers"]["cancelled"] == 0
    assert stats["entitled"] == 1 and stats["failed_invoices"] == 1 and stats["billing_enabled"] is False
    assert stats["revenue"] == [{"currency": "usd", "gross_cents": 2000, "publisher_cents": 1600, "paid_invoices": 2}]
    assert stats["monthly"][0]["gross_cents"] == 2000 and stats["monthly"][0]["invoices"] == 2
    mine = author.get("/api/v1/marketplace/my-listings").json()
    assert mine[0]["revenue"] == stats["revenue"]
    # Another tenant cannot read the stats of a listing it does not own (404, like a missing id).
    stranger = world.client_for_key(world.other_key)
    assert stranger.get(f"/api/v1/marketplace/my-listings/{listing['id']}/stats").status_code == 404
    reader = world.client_for_key(world.read_key)
    assert reader.get(f"/api/v1/marketplace/my-listings/{listing['id']}/stats").status_code == 200
