"""Billing state: a tenant's Stripe customer and plan subscription, and every webhook event received.

The tier itself stays on Tenant (tenancy owns it); billing moves it through
tenancy.services.tenant_set_tier as the plan subscription's state changes.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from backend.tenancy.models import TenantOwned


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
