"""Makers for the marketplace's and billing's tenant-owned models (registered in tests/tenancy/factories.MAKERS)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from backend.billing.models import BillingAccount, Invoice
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, Subscription
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import Tenant
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST
from tests.strategies.factories import make_strategy_module


def make_publisher(tenant: Tenant) -> PublisherProfile:
    with tenant_context(tenant.pk):
        row, _ = PublisherProfile.objects.get_or_create(tenant=tenant, defaults={"display_name": "P", "enabled": True})
        return row  # type: ignore[no-any-return]


def make_listing(tenant: Tenant, *, price_cents: int = 0, slug: str | None = None) -> Listing:
    make_publisher(tenant)
    with tenant_context(tenant.pk):
        n = Listing.unscoped.count()
        return Listing.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, name="Victim", slug=slug or f"victim-{tenant.pk}-{n}", summary="s", category="trend",
            price_cents=price_cents,
        )  # fmt: skip


def make_version(tenant: Tenant, *, listing: Listing | None = None, status: str = "published") -> ListingVersion:
    listing = listing or make_listing(tenant)
    module = make_strategy_module(tenant)
    with tenant_context(tenant.pk):
        n = ListingVersion.unscoped.filter(listing=listing).count()
        return ListingVersion.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, listing=listing, version=f"1.0.{n}", semver_key=[1, 0, n], manifest=SMA_MANIFEST,
            sha256=hashlib.sha256(SMA_CROSS).hexdigest(), size=len(SMA_CROSS), module=module, status=status,
        )  # fmt: skip


def make_review(tenant: Tenant) -> Review:
    with dangerously_bypass_rls():
        listing = make_listing(Tenant.objects.exclude(pk=tenant.pk).first() or tenant)
    with tenant_context(tenant.pk):
        return Review.objects.create(tenant=tenant, listing=listing, stars=4, text="ok")  # type: ignore[no-any-return]


def make_subscription(tenant: Tenant) -> Subscription:
    with dangerously_bypass_rls():
        listing = make_listing(Tenant.objects.exclude(pk=tenant.pk).first() or tenant)
    with tenant_context(tenant.pk):
        return Subscription.objects.create(tenant=tenant, listing=listing, status="active")  # type: ignore[no-any-return]


def make_billing_account(tenant: Tenant) -> BillingAccount:
    with tenant_context(tenant.pk):
        return BillingAccount.objects.create(tenant=tenant, stripe_customer_id="cus_victim")  # type: ignore[no-any-return]


def make_invoice(tenant: Tenant) -> Invoice:
    with tenant_context(tenant.pk):
        n = Invoice.unscoped.count()
        return Invoice.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, stripe_invoice_id=f"in_victim_{tenant.pk}_{n}", kind="plan", status="paid", amount_paid=900
        )


MARKETPLACE_MAKERS: dict[type[Any], Callable[[Tenant], Any]] = {
    PublisherProfile: make_publisher,
    Listing: make_listing,
    ListingVersion: make_version,
    Review: make_review,
    Subscription: make_subscription,
    BillingAccount: make_billing_account,
    Invoice: make_invoice,
}
