"""Billing state: a tenant's Stripe customer and plan subscription, and every webhook event received.

The tier itself stays on Tenant (tenancy owns it); billing moves it through
tenancy.services.tenant_set_tier as the plan subscription's state changes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone

from backend.tenancy.models import Tenant, TenantOwned


class BillingAccount(TenantOwned):
    stripe_customer_id = models.CharField(max_length=64, blank=True, db_index=True)
    plan_subscription_id = models.CharField(max_length=64, blank=True)
    plan_tier = models.CharField(max_length=32, blank=True)  # the tier the subscription pays for
    plan_status = models.CharField(max_length=32, blank=True)  # Stripe's subscription status
    plan_state_at = models.BigIntegerField(default=0)  # `created` of the newest event applied (no regressions)
    grace_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant"], name="billing_account_one_per_tenant")]

    def __str__(self) -> str:
        return f"billing of tenant {self.tenant_id} ({self.plan_tier or '-'} {self.plan_status or '-'})"


class StripeEvent(models.Model):
    """Every verified webhook event, stored before it is applied: the id makes replays no-ops.

    Platform-level (events name customers, not tenants): read by staff only, never by an API.
    """

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.BigIntegerField()  # the event's own epoch seconds (ordering of state changes)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=200, blank=True)  # applied / ignored: ... / stale / error: ...

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Invoice(TenantOwned):
    """A Stripe invoice of a tenant (the payer), recorded from invoice.paid / invoice.payment_failed events.

    Read by staff in the admin console (invoices, and payouts: the publisher's share of paid marketplace
    invoices), never by an API. The newest event wins (state_at), as for subscriptions.
    """

    stripe_invoice_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16)  # plan | listing (the subscription's metadata)
    status = models.CharField(max_length=24)  # paid | payment_failed
    stripe_subscription_id = models.CharField(max_length=64, blank=True)
    listing = models.ForeignKey(
        "marketplace.Listing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    currency = models.CharField(max_length=8, blank=True)
    amount_due = models.BigIntegerField(default=0)  # smallest currency unit (cents)
    amount_paid = models.BigIntegerField(default=0)
    # The fee in force when the invoice was recorded (listing invoices), so a later config change
    # does not rewrite past payouts; the connected account the charge was transferred to, if any.
    platform_fee_percent = models.FloatField(null=True, blank=True)
    transfer_destination = models.CharField(max_length=64, blank=True)
    hosted_invoice_url = models.TextField(blank=True)
    created = models.BigIntegerField(default=0)  # the invoice's own epoch seconds
    state_at = models.BigIntegerField(default=0)  # `created` of the newest event applied
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["kind", "status"], name="invoice_kind_status")]

    def __str__(self) -> str:
        return f"invoice {self.stripe_invoice_id} ({self.kind} {self.status})"

    @property
    def publisher_share_cents(self) -> int:
        """What the author receives of a paid listing invoice: amount paid x (100 - platform fee) %, in whole cents
        (half up), as Stripe's destination charge with transfer_data.amount_percent computes it."""
        if self.kind != "listing" or self.status != "paid" or self.platform_fee_percent is None:
            return 0
        share = Decimal(self.amount_paid) * (Decimal(100) - Decimal(str(self.platform_fee_percent))) / Decimal(100)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def platform_fee_cents(self) -> int:
        return self.amount_paid - self.publisher_share_cents if self.kind == "listing" and self.status == "paid" else 0


class Payout(Invoice):
    """The admin's payouts view: paid marketplace invoices with the publisher's share (a read-only proxy)."""

    class Meta:
        proxy = True
        verbose_name = "payout"
