"""Marketplace: publish (upload -> Celery validation -> platform backtest -> staff review), browse,
entitlements on every deployment path, yanks, reviews, and bad input (4xx with codes, nothing written)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.marketplace import services
from backend.marketplace.models import Listing, ListingVersion, Subscription
from backend.strategies.models import Deployment
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST
from tests.marketplace.helpers import LISTING, code, deploy, publish, upload
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

pytestmark = pytest.mark.usefixtures("builtins", "eager")


def _count(model: type) -> int:
    with dangerously_bypass_rls():
        return int(model.unscoped.count())  # type: ignore[attr-defined]


def test_publish_flow_gives_a_public_listing_with_a_platform_track_record(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, version = publish(author)
    assert version["status"] == "published" and version["validation"]["accepted"]
    assert "<script>" not in listing["description_html"] and "<strong>bold</strong>" in listing["description_html"]
    buyer = world.client_for_key(world.other_key)
    found = buyer.get("/api/v1/marketplace/listings?sort=sharpe&interval=1m").json()
    assert [r["slug"] for r in found] == ["trend-rider"]
    detail = buyer.get("/api/v1/marketplace/listings/trend-rider").json()
    record = detail["track_record"]
    assert record["computed_by"] == "platform" and record["in_sample"]["kind"] == "hypothetical"
    assert "total_return" in record["in_sample"]["metrics"] and "Hypothetical" in record["in_sample"]["method"]
    assert record["out_of_sample"]["kind"] == "live_paper" and record["out_of_sample"]["status"] == "collecting"
    assert "upload" not in str(detail) and "wasm" not in detail["versions"][0]
    # The buyer cannot see the author's module bytes, nor its version rows through its own endpoints.
    assert buyer.get(f"/api/v1/marketplace/my-versions/{version['id']}").status_code == 404
    with dangerously_bypass_rls():
        assert bytes(ListingVersion.unscoped.get(pk=version["id"]).upload) == b""


def test_unpublished_listings_are_invisible_to_others(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    assert author.post("/api/v1/marketplace/my-listings", LISTING, format="json").status_code == 201
    buyer = world.client_for_key(world.other_key)
    assert buyer.get("/api/v1/marketplace/listings").json() == []
    assert buyer.get("/api/v1/marketplace/listings/trend-rider").status_code == 404
    with tenant_context(world.other.pk):  # RLS: another tenant's unpublished listing is not even selectable
        assert Listing.unscoped.count() == 0


def test_bad_uploads_and_listing_input_are_refused_and_write_nothing(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    assert code(author.post("/api/v1/marketplace/my-listings", LISTING, format="json")) == "publisher_disabled"
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    negative = author.post("/api/v1/marketplace/my-listings", {**LISTING, "price_cents": -1}, format="json")
    assert negative.status_code == 400 and code(negative) == "invalid_price"
    listing = author.post("/api/v1/marketplace/my-listings", LISTING, format="json").json()
    assert code(author.post("/api/v1/marketplace/my-listings", LISTING, format="json")) == "slug_taken"
    before = _count(ListingVersion)
    not_wasm = upload(author, listing["id"], wasm=b"MZ not a module")
    assert not_wasm.status_code == 415 and code(not_wasm) == "not_wasm"
    bad_manifest = upload(author, listing["id"], manifest={**SMA_MANIFEST, "params": "nope"})
    assert bad_manifest.status_code == 400 and code(bad_manifest) == "manifest_invalid"
    assert code(upload(author, listing["id"], version="1.0")) == "invalid_version"
    big = upload(author, listing["id"], wasm=b"\0asm" + b"\0" * 2_000_000)
    assert big.status_code == 413 and code(big) == "module_too_large"
    assert _count(ListingVersion) == before
    assert upload(author, listing["id"]).status_code == 202
    duplicate = upload(author, listing["id"])
    assert duplicate.status_code == 409 and code(duplicate) == "duplicate_version"
    assert _count(ListingVersion) == before + 1


def test_staff_rejection_keeps_the_listing_private(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    listing = author.post("/api/v1/marketplace/my-listings", LISTING, format="json").json()
    version = upload(author, listing["id"]).json()
    with pytest.raises(ValueError, match="reason"):
        services.version_review(version["id"], approve=False)
    services.version_review(version["id"], approve=False, reason="misleading description")
    row = author.get(f"/api/v1/marketplace/my-versions/{version['id']}").json()
    assert row["status"] == "rejected" and row["reject_reason"] == "misleading description"
    assert world.client_for_key(world.other_key).get("/api/v1/marketplace/listings").json() == []


def test_entitlements_on_create_and_start_and_yank_pauses(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, version = publish(author, price_cents=500)
    buyer = world.client_for_key(world.other_key)
    account = make_paper_account(world.other).pk
    before = _count(Deployment)
    refused = deploy(buyer, account, version["id"])
    assert refused.status_code == 403 and code(refused) == "subscription_required"
    ensemble = buyer.post("/api/v1/deployments", {"ensemble": [{"listing_version": version["id"]}],
                          "symbol": "BTC-USDT", "interval": "1m", "account": account}, format="json")  # fmt: skip
    assert code(ensemble) == "subscription_required"
    own = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json")
    assert code(own) == "billing_disabled"  # paid listing, no Stripe: staff grant it
    assert _count(Deployment) == before and _count(Subscription) == 0
    # Staff grant (billing disabled): active subscription -> deploy works.
    with tenant_context(world.other.pk):
        sub = Subscription.objects.create(tenant=world.other, listing_id=listing["id"], granted_by_staff=True)
    services.subscription_set_status(sub.pk, "active")
    created = deploy(buyer, account, version["id"])
    assert created.status_code == 201, created.content
    dep = created.json()
    assert dep["members"][0]["kind"] == "listing" and dep["status"] == "running"
    # Lapse: paused with a notice; start is refused; nothing deleted.
    services.subscription_set_status(sub.pk, "lapsed")
    paused = buyer.get(f"/api/v1/deployments/{dep['id']}").json()
    assert paused["status"] == "paused" and paused["error"]["code"] == "subscription_lapsed"
    restart = buyer.post(f"/api/v1/deployments/{dep['id']}/start")
    assert restart.status_code == 403 and code(restart) == "subscription_lapsed"
    # Renewed, restarted, then the author yanks the version: paused again with version_yanked.
    services.subscription_set_status(sub.pk, "active")
    assert buyer.post(f"/api/v1/deployments/{dep['id']}/start").json()["status"] == "running"
    assert author.post(f"/api/v1/marketplace/my-versions/{version['id']}/yank").json()["status"] == "yanked"
    yanked = buyer.get(f"/api/v1/deployments/{dep['id']}").json()
    assert yanked["status"] == "paused" and yanked["error"]["code"] == "version_yanked"
    assert code(deploy(buyer, account, version["id"])) == "version_yanked"


def test_free_listing_subscribe_review_and_own_listing(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    publish(author)
    own = author.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json")
    assert own.status_code == 400 and code(own) == "own_listing"
    buyer = world.client_for_key(world.other_key)
    review = {"listing": "trend-rider", "stars": 5, "text": "good"}
    refused = buyer.post("/api/v1/marketplace/reviews", review, format="json")
    assert refused.status_code == 403 and code(refused) == "not_subscribed"
    sub = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json")
    assert sub.status_code == 201 and sub.json()["status"] == "active"
    assert buyer.post("/api/v1/marketplace/reviews", review, format="json").status_code == 201
    assert buyer.post("/api/v1/marketplace/reviews", {**review, "stars": 3}, format="json").status_code == 200
    assert code(buyer.post("/api/v1/marketplace/reviews", {**review, "stars": 6}, format="json")) == "invalid_stars"
    detail = buyer.get("/api/v1/marketplace/listings/trend-rider").json()
    assert detail["subscriber_count"] == 1 and detail["rating_avg"] == 3 and detail["rating_count"] == 1
    assert len(detail["reviews"]) == 1
    assert buyer.get("/api/v1/marketplace/listings?sort=subscribers").status_code == 200
    assert code(buyer.get("/api/v1/marketplace/listings?sort=bogus")) == "invalid_sort"


def test_public_read_policy_never_lets_another_tenant_write(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, _ = publish(author)
    with tenant_context(world.other.pk):
        assert Listing.unscoped.filter(pk=listing["id"]).count() == 1  # readable (published)
        assert Listing.unscoped.filter(pk=listing["id"]).update(name="hijacked") == 0  # not writable


def test_isolation_client_smoke(world: World) -> None:
    assert isinstance(world.client_for_key(world.read_key), APIClient)
    assert SMA_CROSS.startswith(b"\0asm")
