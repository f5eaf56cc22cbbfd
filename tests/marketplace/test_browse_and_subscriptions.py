"""The customer side of the marketplace: browsing the catalogue (search, filters, sort, numbered pages, facets;
bad parameters answer 400 with a code), a listing's page, pinning a subscription's version, and the
platform's reference listings (`manage.py seed_marketplace`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from backend.marketplace import seed
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Subscription
from backend.strategies.models import StrategyModule
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import Tenant
from tests.engine.sandbox.wat import SMA_MANIFEST
from tests.marketplace.factories import make_listing
from tests.marketplace.helpers import LISTING, code
from tests.strategies.factories import make_strategy_module
from tests.tenancy.world import World

pytestmark = pytest.mark.usefixtures("builtins", "eager")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _listed(tenant: Tenant, slug: str, *, versions: int = 1, **fields: Any) -> Listing:
    """A published listing (versions 1.0.0, 1.0.1, ... published) without the upload/validation/review path."""
    listing = make_listing(tenant, slug=slug, price_cents=fields.pop("price_cents", 0))
    with tenant_context(tenant.pk):
        module = StrategyModule.objects.first() or make_strategy_module(tenant)
        for n in range(versions):
            latest = ListingVersion.objects.create(
                tenant=tenant, listing=listing, version=f"1.0.{n}", semver_key=[1, 0, n], manifest=SMA_MANIFEST,
                sha256=module.sha256, size=module.size, module=module, status="published", published_at=T0,
            )  # fmt: skip
    with dangerously_bypass_rls():
        Listing.unscoped.filter(pk=listing.pk).update(public=True, latest_version=latest, **fields)
        return Listing.unscoped.get(pk=listing.pk)  # type: ignore[no-any-return]


@pytest.fixture
def catalogue(world: World) -> World:
    with tenant_context(world.tenant.pk):
        PublisherProfile.objects.update_or_create(
            tenant=world.tenant, defaults={"display_name": "Alpha Quant", "enabled": True}
        )
    _listed(world.tenant, "trend-one", name="Trend One", summary="Rides trends", category="trend", tags=["sma"],
            markets=["sim:BTC-USDT"], intervals=["1m", "1h"], risk_level="low", subscriber_count=5, bt_return=0.10,
            published_at=T0)  # fmt: skip
    _listed(world.tenant, "revert-two", name="Revert Two", summary="Buys dips", category="mean-reversion",
            tags=["rsi"], markets=["sim:ETH-USDT"], intervals=["1h"], risk_level="high", price_cents=900,
            subscriber_count=9, bt_return=0.30, published_at=T0 + timedelta(days=1))  # fmt: skip
    _listed(world.tenant, "trend-three", name="Trend Three", summary="Also trends", category="trend",
            tags=["sma", "macd"], markets=["sim:BTC-USDT"], intervals=["5m"], risk_level="medium", price_cents=1900,
            subscriber_count=1, bt_return=None, published_at=T0 + timedelta(days=2))  # fmt: skip
    make_listing(world.tenant, slug="private-draft")  # never published: never listed
    return world


def _slugs(client: Any, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/marketplace/listings{query}")
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()]


def test_search_filters_and_sorts_combine(catalogue: World) -> None:
    buyer = catalogue.client_for_key(catalogue.other_key)
    assert _slugs(buyer) == ["trend-three", "revert-two", "trend-one"]  # newest first by default
    assert _slugs(buyer, "?q=dips") == ["revert-two"]
    assert _slugs(buyer, "?q=SMA") == ["trend-three", "trend-one"]  # a tag, whatever its case
    assert _slugs(buyer, "?category=trend&sort=subscribers") == ["trend-one", "trend-three"]
    assert _slugs(buyer, "?tag=macd") == ["trend-three"]
    assert _slugs(buyer, "?market=sim:BTC-USDT&interval=1m") == ["trend-one"]
    assert _slugs(buyer, "?risk_level=high") == ["revert-two"]
    assert _slugs(buyer, "?free=true") == ["trend-one"]
    assert _slugs(buyer, "?free=false&sort=price") == ["revert-two", "trend-three"]
    assert _slugs(buyer, "?sort=-price") == ["trend-three", "revert-two", "trend-one"]
    assert _slugs(buyer, "?sort=return") == ["revert-two", "trend-one", "trend-three"]  # no record last
    assert _slugs(buyer, "?q=nothing-like-it") == []


def test_pages_carry_the_total_and_a_next_link(catalogue: World) -> None:
    buyer = catalogue.client_for_key(catalogue.other_key)
    first = buyer.get("/api/v1/marketplace/listings?sort=subscribers&page_size=2")
    assert [r["slug"] for r in first.json()] == ["revert-two", "trend-one"]
    assert first["X-Total-Count"] == "3"
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"] and "sort=subscribers" in first["Link"]
    second = buyer.get("/api/v1/marketplace/listings?sort=subscribers&page_size=2&page=2")
    assert [r["slug"] for r in second.json()] == ["trend-three"] and "Link" not in second
    assert buyer.get("/api/v1/marketplace/listings?page=9").json() == []
    row = first.json()[0]
    assert row["publisher"] == "Alpha Quant" and row["currency"] == "usd" and row["latest_version"] == "1.0.0"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=bogus", "invalid_sort"),
        ("interval=7m", "invalid_interval"),
        ("risk_level=extreme", "invalid_risk_level"),
        ("free=maybe", "invalid_free"),
        ("page=0", "invalid_page"),
        ("page=two", "invalid_page"),
        ("page_size=101", "invalid_page_size"),
        ("page_size=-1", "invalid_page_size"),
        ("q=" + "x" * 101, "invalid_q"),
    ],
)
def test_bad_browse_parameters_answer_400_naming_the_parameter(catalogue: World, query: str, expected: str) -> None:
    response = catalogue.client_for_key(catalogue.other_key).get(f"/api/v1/marketplace/listings?{query}")
    assert response.status_code == 400 and code(response) == expected
    assert response.json()["error"]["detail"]["field"] == expected.removeprefix("invalid_")


def test_facets_count_published_listings_only(catalogue: World) -> None:
    facets = catalogue.client_for_key(catalogue.other_key).get("/api/v1/marketplace/facets").json()
    assert (facets["total"], facets["free"], facets["paid"]) == (3, 1, 2)
    assert facets["categories"] == [{"value": "trend", "count": 2}, {"value": "mean-reversion", "count": 1}]
    assert facets["tags"][0] == {"value": "sma", "count": 2}
    assert [f["value"] for f in facets["intervals"]] == ["1m", "5m", "1h"]  # natural order
    assert [f["value"] for f in facets["risk_levels"]] == ["low", "medium", "high"]


def test_listing_page_names_the_publisher_and_lists_versions(catalogue: World) -> None:
    buyer = catalogue.client_for_key(catalogue.other_key)
    detail = buyer.get("/api/v1/marketplace/listings/revert-two").json()
    assert detail["publisher"] == "Alpha Quant" and detail["price_cents"] == 900 and detail["currency"] == "usd"
    assert [v["version"] for v in detail["versions"]] == ["1.0.0"] and detail["reviews"] == []
    assert set(detail["track_record"]) >= {"in_sample", "out_of_sample", "computed_by"}
    assert buyer.get("/api/v1/marketplace/listings/private-draft").status_code == 404


def test_subscription_pins_a_published_version_and_follows_the_latest_again(world: World) -> None:
    listing = _listed(world.tenant, "two-versions", versions=2)
    buyer = world.client_for_key(world.other_key)
    created = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "two-versions"}, format="json").json()
    assert created["follow_latest"] and created["listing_name"] == "Victim" and created["listing_price_cents"] == 0
    assert created["managed_by_stripe"] is False and created["deployable_version"] == listing.latest_version_id
    assert created["currency"] == "usd"
    url = f"/api/v1/marketplace/subscriptions/{created['id']}"
    pinned = buyer.patch(url, {"follow_latest": False, "version": "1.0.0"}, format="json")
    assert pinned.status_code == 200, pinned.content
    with dangerously_bypass_rls():
        first = ListingVersion.unscoped.get(listing=listing, version="1.0.0")
    assert pinned.json()["pinned_version"] == "1.0.0" and pinned.json()["deployable_version"] == first.pk
    unknown = buyer.patch(url, {"follow_latest": False, "version": "9.9.9"}, format="json")
    assert unknown.status_code == 400 and code(unknown) == "unknown_version"
    assert code(buyer.patch(url, {"follow_latest": "yes"}, format="json")) == "invalid_input"
    assert buyer.get(url).json()["pinned_version"] == "1.0.0"  # the refused changes wrote nothing
    back = buyer.patch(url, {"follow_latest": True}, format="json").json()
    assert back["follow_latest"] and back["pinned_version"] is None
    # The publisher's tenant cannot touch it (404, as if it did not exist); a read-only key may not change it.
    assert world.client_for_key(world.admin_key).patch(url, {"follow_latest": True}, format="json").status_code == 404
    assert buyer.post(f"{url}/cancel").json()["status"] == "cancelled"
    again = buyer.patch(url, {"follow_latest": True}, format="json")
    assert again.status_code == 409 and code(again) == "subscription_cancelled"


def test_a_read_only_key_cannot_change_a_subscription(world: World) -> None:
    publisher = Tenant.objects.get(pk=world.other.pk)
    _listed(publisher, "theirs")
    owner = world.client_for_key(world.admin_key)
    sub = owner.post("/api/v1/marketplace/subscriptions", {"listing": "theirs"}, format="json").json()
    reader = world.client_for_key(world.read_key)
    refused = reader.patch(f"/api/v1/marketplace/subscriptions/{sub['id']}", {"follow_latest": True}, format="json")
    assert refused.status_code == 403 and code(refused) == "insufficient_scope"


def test_listing_slugs_that_are_web_app_screens_are_reserved(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    taken = author.post("/api/v1/marketplace/my-listings", {**LISTING, "slug": "subscriptions"}, format="json")
    assert taken.status_code == 409 and code(taken) == "slug_taken"


def test_seed_publishes_the_reference_listings_once_as_the_platform(world: World) -> None:
    call_command("seed_marketplace")
    buyer = world.client_for_key(world.other_key)
    rows = buyer.get("/api/v1/marketplace/listings?page_size=100").json()
    assert {r["slug"] for r in rows} == {ref.slug for ref in seed.REFERENCES}
    assert {r["publisher"] for r in rows} == {seed.PUBLISHER}
    free = [r["slug"] for r in rows if r["price_cents"] == 0]
    assert sorted(free) == ["qt-momentum", "qt-rsi-reversion", "qt-sma-trend"]
    detail = buyer.get("/api/v1/marketplace/listings/qt-sma-trend").json()
    record = detail["track_record"]
    assert record["in_sample"]["equity"] and record["out_of_sample"]["status"] == "collecting"
    assert "<table>" in detail["description_html"]
    with dangerously_bypass_rls():
        platform = Listing.unscoped.get(slug="qt-sma-trend").tenant
        versions = ListingVersion.unscoped.count()
    assert platform.slug == "qt-platform"
    # A second run changes nothing; customers subscribe to a free one at once.
    assert seed.seed() == [f"{ref.slug}@1.0.0: published (unchanged)" for ref in seed.REFERENCES]
    with dangerously_bypass_rls():
        assert ListingVersion.unscoped.count() == versions
    sub = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "qt-sma-trend"}, format="json")
    assert sub.status_code == 201 and sub.json()["status"] == "active"
    with tenant_context(world.other.pk):
        assert Subscription.objects.count() == 1
