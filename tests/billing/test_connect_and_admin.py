"""Connect payouts (onboarding, account.updated, destination charges), checkout.session.completed,
pinned subscriptions, and the admin console's review queue and event re-processing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from backend.billing.models import StripeEvent
from backend.identity.models import User
from backend.marketplace.models import ListingVersion, Subscription
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from tests.billing.conftest import SECRET
from tests.billing.fake_stripe import FakeStripe, event, sign
from tests.billing.test_billing import post
from tests.marketplace.helpers import LISTING, code, deploy, publish, upload
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

pytestmark = pytest.mark.usefixtures("builtins", "eager")


def test_connect_onboarding_then_destination_charges(world: World, stripe_api: FakeStripe) -> None:
    author = world.client_for_key(world.admin_key)
    publish(author, price_cents=1000)
    started = author.post("/api/v1/marketplace/publisher/onboarding")
    assert started.status_code == 201 and started.json()["url"].startswith("https://connect.stripe.com/")
    account = started.json()["account"]
    assert stripe_api.requests[-2][1]["type"] == "express"
    assert stripe_api.requests[-1][1]["type"] == "account_onboarding"
    updated = {"id": account, "object": "account", "charges_enabled": True, "payouts_enabled": True,
               "details_submitted": True}  # fmt: skip
    payload = event("account.updated", updated, created=int(time.time()))
    assert post(author, payload, sign(payload, SECRET)).json()["result"] == "applied: payouts enabled"
    assert author.get("/api/v1/marketplace/publisher").json()["payouts_enabled"] is True
    buyer = world.client_for_key(world.other_key)
    assert buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json").status_code == 201
    form = stripe_api.requests[-1][1]
    assert form["subscription_data[transfer_data][destination]"] == account
    assert float(form["subscription_data[transfer_data][amount_percent]"]) == 80.0


def test_checkout_completed_activates_a_listing_subscription(world: World, stripe_api: FakeStripe) -> None:
    author = world.client_for_key(world.admin_key)
    publish(author, price_cents=500)
    buyer = world.client_for_key(world.other_key)
    sub = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json").json()
    meta = {"kind": "listing", "tenant_id": str(world.other.pk), "subscription_id": str(sub["id"])}
    session = {"id": "cs_1", "object": "checkout.session", "mode": "subscription", "status": "complete",
               "payment_status": "paid", "customer": "cus_1", "subscription": "sub_77", "metadata": meta}  # fmt: skip
    payload = event("checkout.session.completed", session, created=int(time.time()))
    assert post(buyer, payload, sign(payload, SECRET)).status_code == 200
    with dangerously_bypass_rls():
        row = Subscription.unscoped.get(pk=sub["id"])
    assert (row.status, row.stripe_subscription_id, row.stripe_customer_id) == ("active", "sub_77", "cus_1")
    assert code(buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json")) == (
        "already_subscribed"
    )


def test_pinned_subscription_deploys_only_its_version(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, first = publish(author)
    from backend.marketplace import services

    second = upload(author, listing["id"], version="1.1.0").json()
    services.version_review(second["id"], approve=True)
    buyer = world.client_for_key(world.other_key)
    bad = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider", "follow_latest": False,
                     "version": "9.9.9"}, format="json")  # fmt: skip
    assert code(bad) == "unknown_version"
    sub = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider", "follow_latest": False,
                     "version": "1.0.0"}, format="json").json()  # fmt: skip
    assert sub["pinned_version"] == "1.0.0" and sub["deployable_version"] == first["id"]
    detail = buyer.get("/api/v1/marketplace/listings/trend-rider").json()
    assert detail["latest_version"] == "1.1.0" and [v["version"] for v in detail["versions"]] == ["1.1.0", "1.0.0"]


def _staff() -> Client:
    User.objects.create_superuser(email="staff@ops.test", password="x" * 20)
    client = Client()
    assert client.login(username="staff@ops.test", password="x" * 20)
    return client


def test_admin_review_queue_and_event_reprocess(world: World, stripe_api: FakeStripe) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    listing = author.post("/api/v1/marketplace/my-listings", LISTING, format="json").json()
    version = upload(author, listing["id"]).json()
    staff = _staff()
    queue = staff.get("/admin/marketplace/listingversion/?status__exact=in_review")
    assert queue.status_code == 200 and b"1.0.0" in queue.content
    staff.post("/admin/marketplace/listingversion/", {"action": "approve", "_selected_action": [version["id"]]})
    with dangerously_bypass_rls():
        assert ListingVersion.unscoped.get(pk=version["id"]).status == "published"
    # An event that failed is stored with its error and can be re-processed from the admin.
    with dangerously_bypass_rls():
        payload = {"id": "evt_x", "type": "invoice.paid", "created": 1,
                   "data": {"object": {"object": "invoice", "metadata": {}}}}  # fmt: skip
        row = StripeEvent.objects.create(
            event_id="evt_x", type="invoice.paid", created=1, result="error: x", payload=payload
        )
    staff.post("/admin/billing/stripeevent/", {"action": "reprocess", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.processed_at is not None and row.result == "ignored: no platform metadata"
    assert staff.get(f"/admin/billing/stripeevent/{row.pk}/change/").status_code == 200


def test_no_endpoint_serves_module_bytes(world: World, settings: Any) -> None:
    author = world.client_for_key(world.admin_key)
    _, version = publish(author)
    body = str(author.get(f"/api/v1/marketplace/my-versions/{version['id']}").json())
    assert "upload" not in body and "wasm" not in body.replace("wasm_", "")


def test_admin_grant_lets_a_tenant_deploy_a_paid_listing_without_stripe(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, version = publish(author, price_cents=700)
    with tenant_context(world.other.pk):
        sub = Subscription.objects.create(tenant=world.other, listing_id=listing["id"])
    staff = _staff()
    staff.post("/admin/marketplace/subscription/", {"action": "grant", "_selected_action": [sub.pk]})
    buyer = world.client_for_key(world.other_key)
    account = make_paper_account(world.other).pk
    assert deploy(buyer, account, version["id"]).status_code == 201
    staff.post("/admin/marketplace/subscription/", {"action": "lapse", "_selected_action": [sub.pk]})
    assert buyer.get("/api/v1/deployments").json()[0]["error"]["code"] == "subscription_lapsed"
