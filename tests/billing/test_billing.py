"""Billing against a local fake of Stripe's API and Stripe-signed webhook events."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.billing import services
from backend.billing.models import BillingAccount, StripeEvent
from backend.marketplace.models import Subscription
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import Tenant
from tests.billing.conftest import SECRET
from tests.billing.fake_stripe import FakeStripe, event, invoice, sign, subscription
from tests.marketplace.helpers import code, deploy, publish
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

HOOK = "/api/v1/billing/stripe/webhook"
pytestmark = pytest.mark.usefixtures("builtins", "eager")


def post(client: Any, payload: bytes, header: str | None) -> Any:
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}
    return client.post(HOOK, payload, content_type="application/json", **extra)


def tier_of(tenant: Tenant) -> str:
    return str(Tenant.objects.get(pk=tenant.pk).tier.code)


def test_disabled_billing_is_reported_and_refused(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    assert client.get("/api/v1/billing").json()["enabled"] is False
    assert code(client.post("/api/v1/billing/checkout", {"tier": "pro"}, format="json")) == "billing_disabled"
    assert post(client, b"{}", "t=1,v1=x").status_code == 503


def test_upgrade_flow_then_cancel(world: World, stripe_api: FakeStripe) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    started = client.post("/api/v1/billing/checkout", {"tier": "pro"}, format="json")
    assert started.status_code == 201 and started.json()["url"].startswith("https://checkout.stripe.com/")
    path, form = stripe_api.requests[-1]
    assert path == "/v1/checkout/sessions" and form["mode"] == "subscription"
    assert form["line_items[0][price]"] == "price_pro" and form["subscription_data[metadata][tier]"] == "pro"
    meta = {"kind": "plan", "tenant_id": str(world.tenant.pk), "tier": "pro"}
    now = int(time.time())
    payload = event("customer.subscription.created", subscription("sub_1", "active", meta), created=now)
    assert post(client, payload, sign(payload, SECRET)).status_code == 200
    assert tier_of(world.tenant) == "pro"
    portal = client.post("/api/v1/billing/portal")
    assert portal.status_code == 201 and portal.json()["url"].startswith("https://billing.stripe.com/")
    payload = event("customer.subscription.deleted", subscription("sub_1", "canceled", meta), created=now + 5)
    assert post(client, payload, sign(payload, SECRET)).status_code == 200
    assert tier_of(world.tenant) == "free"


def test_bad_signatures_are_400_and_write_nothing(world: World, stripe_api: FakeStripe) -> None:
    client = world.client_for_key(world.admin_key)
    payload = event("invoice.paid", {"object": "invoice"}, created=int(time.time()))
    for header in (
        None,
        "t=1,v1=deadbeef",
        sign(payload, "whsec_wrong"),
        sign(payload, SECRET, t=int(time.time()) - 3600),
    ):
        response = post(client, payload, header)
        assert response.status_code == 400 and code(response) == "bad_signature"
    assert StripeEvent.objects.count() == 0


def test_duplicate_and_out_of_order_events(world: World, stripe_api: FakeStripe) -> None:
    client = world.client_for_key(world.admin_key)
    meta = {"kind": "plan", "tenant_id": str(world.tenant.pk), "tier": "pro"}
    now = int(time.time())
    newer = event("customer.subscription.deleted", subscription("sub_2", "canceled", meta), created=now)
    older = event("customer.subscription.created", subscription("sub_2", "active", meta), created=now - 60)
    assert post(client, newer, sign(newer, SECRET)).json()["result"].startswith("applied")
    assert post(client, older, sign(older, SECRET)).json()["result"].startswith("stale")
    assert tier_of(world.tenant) == "free"  # never regressed by the late, older event
    assert post(client, newer, sign(newer, SECRET)).json()["result"] == "duplicate"
    assert StripeEvent.objects.count() == 2


def test_marketplace_subscribe_deploy_payment_failure_grace_lapse(world: World, stripe_api: FakeStripe) -> None:
    author = world.client_for_key(world.admin_key)
    _, version = publish(author, price_cents=900)
    buyer = world.client_for_key(world.other_key)
    account = make_paper_account(world.other).pk
    started = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json")
    assert started.status_code == 201 and started.json()["status"] == "pending" and started.json()["checkout_url"]
    _, form = stripe_api.requests[-1]
    assert form["line_items[0][price_data][unit_amount]"] == "900"
    assert code(deploy(buyer, account, version["id"])) == "subscription_pending"
    meta = {"kind": "listing", "tenant_id": str(world.other.pk), "subscription_id": str(started.json()["id"])}
    now = int(time.time())
    for kind, obj, t in (("customer.subscription.created", subscription("sub_9", "active", meta), now),
                         ("invoice.payment_failed", invoice("sub_9", meta, "open"), now + 10)):  # fmt: skip
        payload = event(kind, obj, created=t)
        assert post(buyer, payload, sign(payload, SECRET)).status_code == 200
    with dangerously_bypass_rls():
        sub = Subscription.unscoped.get(pk=started.json()["id"])
    assert sub.status == "past_due" and sub.grace_until is not None
    dep = deploy(buyer, account, version["id"])  # past_due, still inside the grace period
    assert dep.status_code == 201, dep.content
    assert services.enforce_grace() == 0  # grace not over: nothing lapses
    with dangerously_bypass_rls():
        Subscription.unscoped.filter(pk=sub.pk).update(grace_until=timezone.now() - timedelta(seconds=1))
    assert services.enforce_grace() == 1
    paused = buyer.get(f"/api/v1/deployments/{dep.json()['id']}").json()
    assert paused["status"] == "paused" and paused["error"]["code"] == "subscription_lapsed"
    assert buyer.get("/api/v1/marketplace/subscriptions").json()[0]["status"] == "lapsed"


def test_plan_payment_failure_keeps_tier_during_grace_then_downgrades(world: World, stripe_api: FakeStripe) -> None:
    client = world.client_for_key(world.admin_key)
    meta = {"kind": "plan", "tenant_id": str(world.tenant.pk), "tier": "pro"}
    now = int(time.time())
    for kind, obj, t in (("customer.subscription.created", subscription("sub_3", "active", meta), now),
                         ("invoice.payment_failed", invoice("sub_3", meta, "open"), now + 1)):  # fmt: skip
        payload = event(kind, obj, created=t)
        post(client, payload, sign(payload, SECRET))
    assert tier_of(world.tenant) == "pro"
    with dangerously_bypass_rls():
        BillingAccount.unscoped.filter(tenant=world.tenant).update(grace_until=timezone.now() - timedelta(seconds=1))
    services.enforce_grace()
    assert tier_of(world.tenant) == "free"
