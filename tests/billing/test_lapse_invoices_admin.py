"""Lapse notices on NATS (billing.subscription_lapsed.<tenant>.<id>, after commit, heard by a real subscriber),
invoices recorded from Stripe's invoice events, and the admin's reject-with-reason, invoice and payout views."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import nats
import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from backend.billing import services
from backend.billing.models import BillingAccount, Invoice
from backend.bus.subjects import Subjects
from backend.marketplace.models import ListingVersion, Subscription
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from tests.billing.conftest import SECRET
from tests.billing.fake_stripe import FakeStripe, event, invoice, sign, subscription
from tests.billing.test_billing import post
from tests.billing.test_connect_and_admin import _staff
from tests.marketplace.helpers import LISTING, publish, upload
from tests.tenancy.world import World
from tests.trading.conftest import namespace  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("builtins", "eager")
WAIT_S = 30.0  # an upper bound for a message to arrive, never a timing assertion


class Listener:
    """A real NATS subscriber on its own thread and loop; messages land in a queue."""

    def __init__(self, subject: str) -> None:
        self.messages: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run(subject)), daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT_S), "the NATS listener did not start"

    async def _run(self, subject: str) -> None:
        nc = await nats.connect(settings.QT_NATS.url)

        async def on(msg: Any) -> None:
            self.messages.put((msg.subject, json.loads(msg.data)))

        await nc.subscribe(subject, cb=on)
        await nc.flush()
        self.ready.set()
        while not self.stop.is_set():
            await asyncio.sleep(0.05)
        await nc.close()

    def next(self) -> tuple[str, dict[str, Any]]:
        return self.messages.get(timeout=WAIT_S)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT_S)


@pytest.fixture
def lapses(namespace: str) -> Iterator[Listener]:  # noqa: F811 - fixture
    listener = Listener(f"{namespace}.billing.subscription_lapsed.*.*")
    yield listener
    listener.close()


def test_a_lapse_is_published_on_nats_after_commit(world: World, lapses: Listener) -> None:
    author = world.client_for_key(world.admin_key)
    listing, _ = publish(author, price_cents=700)
    with tenant_context(world.other.pk):
        sub = Subscription.objects.create(tenant=world.other, listing_id=listing["id"], status="past_due",
                                          grace_until=timezone.now() - timedelta(seconds=1))  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        assert services.enforce_grace() == 1
    assert len(pending) == 1  # queued for the commit, not sent inside the transaction
    for callback in pending:
        callback()  # what the commit does
    subject, body = lapses.next()
    assert subject == Subjects(settings.QT_NATS.namespace).subscription_lapsed(world.other.pk, sub.pk)
    assert body["subscription"] == "listing" and body["id"] == sub.pk and body["listing"] == listing["id"]
    assert isinstance(body["ts_ms"], int)

    # A plan whose grace period ended lapses too (subscription id: the tenant's billing account).
    with dangerously_bypass_rls():
        account = BillingAccount.unscoped.create(tenant=world.tenant, plan_status="past_due", plan_tier="pro",
                                                 grace_until=timezone.now() - timedelta(seconds=1))  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.enforce_grace() == 1
    subject, body = lapses.next()
    assert subject.endswith(f"billing.subscription_lapsed.{world.tenant.pk}.{account.pk}")
    assert (body["subscription"], body["id"], body["listing"]) == ("plan", account.pk, None)


def _invoice_events(world: World, stripe_api: FakeStripe) -> tuple[int, int]:
    author = world.client_for_key(world.admin_key)
    listing, _ = publish(author, price_cents=1000)
    buyer = world.client_for_key(world.other_key)
    sub = buyer.post("/api/v1/marketplace/subscriptions", {"listing": "trend-rider"}, format="json").json()
    meta = {"kind": "listing", "tenant_id": str(world.other.pk), "subscription_id": str(sub["id"])}
    now = int(time.time())
    paid = {**invoice("sub_5", meta, "paid"), "id": "in_5", "currency": "usd", "amount_due": 1000,
            "amount_paid": 1000, "created": now, "transfer_data": {"destination": "acct_author"}}  # fmt: skip
    failed = {**paid, "status": "open", "amount_paid": 0}
    # Out of order: the older failure arrives after the payment; the invoice stays paid.
    for kind, obj, t in (("customer.subscription.created", subscription("sub_5", "active", meta), now),
                         ("invoice.paid", paid, now + 2), ("invoice.payment_failed", failed, now + 1)):  # fmt: skip
        payload = event(kind, obj, created=t)
        assert post(buyer, payload, sign(payload, SECRET)).status_code == 200
    return listing["id"], sub["id"]


def test_invoice_events_are_recorded_and_staff_see_invoices_and_payouts(world: World, stripe_api: FakeStripe) -> None:
    listing_id, _ = _invoice_events(world, stripe_api)
    with dangerously_bypass_rls():
        row = Invoice.unscoped.get(stripe_invoice_id="in_5")
    assert (row.tenant_id, row.kind, row.status, row.amount_paid) == (world.other.pk, "listing", "paid", 1000)
    assert (row.listing_id, row.publisher_id, row.transfer_destination) == (listing_id, world.tenant.pk, "acct_author")
    fee = settings.CONFIG.billing.platform_fee_percent
    assert row.platform_fee_percent == fee
    assert row.publisher_share_cents == round(1000 * (100 - fee) / 100) and row.platform_fee_cents == 1000 - round(
        1000 * (100 - fee) / 100
    )
    with tenant_context(world.tenant.pk):  # RLS: the payer's row, not the publisher's
        assert not Invoice.objects.exists()

    staff = _staff()
    invoices = staff.get("/admin/billing/invoice/")
    assert invoices.status_code == 200 and b"in_5" in invoices.content
    assert staff.get(f"/admin/billing/invoice/{row.pk}/change/").status_code == 200  # a read-only view
    assert staff.post(f"/admin/billing/invoice/{row.pk}/change/", {"status": "void"}).status_code == 403
    assert staff.get("/admin/billing/invoice/add/").status_code == 403
    payouts = staff.get("/admin/billing/payout/")
    share = f"{row.publisher_share_cents / 100:.2f} USD"
    assert payouts.status_code == 200 and b"in_5" in payouts.content and share.encode() in payouts.content


def test_admin_reject_asks_for_a_reason_then_rejects(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    author.post("/api/v1/marketplace/publisher", {"display_name": "A"}, format="json")
    listing = author.post("/api/v1/marketplace/my-listings", LISTING, format="json").json()
    version = upload(author, listing["id"]).json()
    staff = _staff()
    url = "/admin/marketplace/listingversion/"
    page = staff.post(url, {"action": "reject", "_selected_action": [version["id"]]})
    assert page.status_code == 200 and b'name="reason"' in page.content and b"1.0.0" in page.content
    # Without a reason the page comes back and nothing changes.
    again = staff.post(url, {"action": "reject", "_selected_action": [version["id"]], "apply": "1", "reason": " "})
    assert again.status_code == 200 and b'name="reason"' in again.content
    with dangerously_bypass_rls():
        assert ListingVersion.unscoped.get(pk=version["id"]).status == "in_review"
    done = staff.post(url, {"action": "reject", "_selected_action": [version["id"]], "apply": "1",
                            "reason": "uses look-ahead in the exit rule"})  # fmt: skip
    assert done.status_code == 302
    with dangerously_bypass_rls():
        row = ListingVersion.unscoped.get(pk=version["id"])
    assert (row.status, row.reject_reason) == ("rejected", "uses look-ahead in the exit rule")
    seen = author.get(f"/api/v1/marketplace/my-versions/{version['id']}").json()
    assert seen["status"] == "rejected" and seen["reject_reason"] == "uses look-ahead in the exit rule"
