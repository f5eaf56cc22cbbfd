"""Billing through Stripe: Checkout and Customer Portal sessions out, webhook events in.

Stripe is the source of truth for what is paid; this module turns its events into the
tenant's tier (tenancy.services.tenant_set_tier) and marketplace subscription states.
Events are stored first (unique event id: a replay is a no-op) and each object remembers
the `created` of the newest event applied to it, so an older event arriving late never
regresses its state.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.billing import events
from backend.billing.models import BillingAccount, Invoice, StripeEvent
from backend.marketplace import services as marketplace
from backend.marketplace.models import Listing, PublisherProfile, Subscription, SubscriptionStatus
from backend.ops.errors import ApiError
from backend.tenancy import services as tenancy
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import Tenant, Tier

ACTOR = "billing (stripe)"
PAID_STATES = {"active", "trialing"}
LISTING_STATES = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.LAPSED,
    "canceled": SubscriptionStatus.CANCELLED,
    "incomplete_expired": SubscriptionStatus.CANCELLED,
}


def enabled() -> bool:
    cfg = settings.CONFIG.billing
    return bool(cfg.enabled and cfg.secret_key and cfg.webhook_secret)


def _require() -> None:
    if not enabled():
        raise ApiError(code="billing_disabled", message="billing is not configured on this installation; staff set "
                       "tiers in the admin console", status_code=503)  # fmt: skip


def client() -> stripe.StripeClient:
    cfg = settings.CONFIG.billing
    return stripe.StripeClient(cfg.secret_key, base_addresses={"api": cfg.api_base}, max_network_retries=0)


def _grace_until() -> Any:
    return timezone.now() + timedelta(days=settings.CONFIG.billing.grace_period_days)


# == outgoing: sessions ========================================================================
def _account(tenant_id: int, email: str) -> BillingAccount:
    """The tenant's billing row with a Stripe customer (created on first use)."""
    account, _ = BillingAccount.objects.select_for_update().get_or_create(tenant_id=tenant_id)
    if not account.stripe_customer_id:
        customer = client().v1.customers.create(
            params={"email": email or None, "metadata": {"tenant_id": str(tenant_id)}}  # type: ignore[typeddict-item]
        )
        account.stripe_customer_id = customer.id
        account.save(update_fields=["stripe_customer_id"])
    return account  # type: ignore[no-any-return]


def plan_checkout(*, tenant_id: int, tier: object, email: str) -> dict[str, str]:
    _require()
    prices = settings.CONFIG.billing.prices
    if not isinstance(tier, str) or tier not in prices:
        raise ApiError(code="unknown_plan", message=f"tier must be one of {', '.join(prices) or '(none on sale)'}")
    account = _account(tenant_id, email)
    meta = {"kind": "plan", "tenant_id": str(tenant_id), "tier": tier}
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": account.stripe_customer_id,
            "client_reference_id": str(tenant_id),
            "line_items": [{"price": prices[tier], "quantity": 1}],
            "metadata": meta,
            "subscription_data": {"metadata": meta},
            "success_url": settings.CONFIG.billing.success_url,
            "cancel_url": settings.CONFIG.billing.cancel_url,
        }
    )
    return {"id": session.id, "url": session.url or ""}


def portal(*, tenant_id: int, email: str) -> dict[str, str]:
    _require()
    account = _account(tenant_id, email)
    session = client().v1.billing_portal.sessions.create(
        params={"customer": account.stripe_customer_id, "return_url": settings.CONFIG.billing.portal_return_url}
    )
    return {"id": session.id, "url": session.url}


def listing_checkout(sub: Subscription, *, user_email: str) -> str:
    """A Checkout Session paying a listing's monthly price (inline price_data: no Price object to keep in sync)."""
    _require()
    account = _account(sub.tenant_id, user_email)
    meta = {"kind": "listing", "tenant_id": str(sub.tenant_id), "subscription_id": str(sub.pk)}
    subscription_data: dict[str, Any] = {"metadata": meta}
    payee = _payee(sub.listing.tenant_id)
    if payee:
        # Destination charge: the author's connected account receives all but the platform's fee.
        fee = settings.CONFIG.billing.platform_fee_percent
        subscription_data["transfer_data"] = {"destination": payee, "amount_percent": round(100 - fee, 2)}
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": account.stripe_customer_id,
            "client_reference_id": str(sub.tenant_id),
            "line_items": [{
                "quantity": 1,
                "price_data": {
                    "currency": settings.CONFIG.billing.currency,
                    "unit_amount": sub.listing.price_cents,
                    "recurring": {"interval": "month"},
                    "product_data": {"name": f"Strategy: {sub.listing.name}"},
                },
            }],
            "metadata": meta,
            "subscription_data": subscription_data,
            "success_url": settings.CONFIG.billing.success_url,
            "cancel_url": settings.CONFIG.billing.cancel_url,
        }
    )  # fmt: skip
    Subscription.objects.filter(pk=sub.pk).update(stripe_checkout_id=session.id)
    return session.url or ""


def _payee(publisher_tenant_id: int) -> str:
    """The publisher's connected account when Stripe reports it can be paid, else "" (the platform keeps it)."""
    with dangerously_bypass_rls():
        profile = PublisherProfile.unscoped.filter(tenant_id=publisher_tenant_id, payouts_enabled=True).first()
    return profile.stripe_account_id if profile else ""


def connect_onboarding(*, tenant_id: int) -> dict[str, str]:
    """A Stripe Connect (Express) account for the publisher (created once) and a fresh onboarding link."""
    _require()
    profile = PublisherProfile.objects.select_for_update().filter(tenant_id=tenant_id, enabled=True).first()
    if profile is None:
        raise ApiError(code="publisher_disabled", message="enable your publisher profile first", status_code=403)
    if not profile.stripe_account_id:
        account = client().v1.accounts.create(params={"type": "express", "metadata": {"tenant_id": str(tenant_id)}})
        profile.stripe_account_id = account.id
        profile.save(update_fields=["stripe_account_id"])
    cfg = settings.CONFIG.billing
    link = client().v1.account_links.create(
        params={
            "account": profile.stripe_account_id,
            "refresh_url": cfg.connect_refresh_url,
            "return_url": cfg.connect_return_url,
            "type": "account_onboarding",
        }
    )
    return {"account": profile.stripe_account_id, "url": link.url}


# == incoming: webhook events ==================================================================
class BadSignature(Exception):
    pass


def verify(payload: bytes, header: str | None) -> dict[str, Any]:
    """The event, if `Stripe-Signature` (t=..,v1=..: HMAC-SHA256 of "t.payload") is valid and fresh."""
    cfg = settings.CONFIG.billing
    if not header:
        raise BadSignature("missing Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, header, cfg.webhook_secret, tolerance=cfg.webhook_tolerance_s)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature(str(exc)) from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or "data" not in event:
        raise BadSignature("not a Stripe event")
    return event


def receive(event: dict[str, Any]) -> str:
    """Store the event (once) and apply it; the result text. A replay of a processed event is a no-op."""
    with dangerously_bypass_rls(), transaction.atomic():
        row, created = StripeEvent.objects.select_for_update().get_or_create(
            event_id=event["id"],
            defaults={"type": str(event.get("type", "")), "created": int(event.get("created") or 0), "payload": event},
        )
        if not created and row.processed_at is not None:
            return "duplicate"
    return process(row.pk)


def process(event_pk: int) -> str:
    """Apply a stored event (also the admin's re-process action). Errors are recorded and re-raised."""
    with dangerously_bypass_rls(), transaction.atomic():
        row = StripeEvent.objects.select_for_update().get(pk=event_pk)
        try:
            with transaction.atomic():
                result = _apply(row.payload)
        except Exception as exc:
            row.result = f"error: {type(exc).__name__}: {exc}"[:200]
            row.save(update_fields=["result"])
            raise
        row.result, row.processed_at = result[:200], timezone.now()
        row.save(update_fields=["result", "processed_at"])
        return result


def _metadata(obj: dict[str, Any]) -> dict[str, str]:
    meta = obj.get("metadata") or {}
    if not meta and obj.get("object") == "invoice":  # invoices carry a snapshot of the subscription's metadata
        meta = ((obj.get("parent") or {}).get("subscription_details") or {}).get("metadata") or {}
    return {str(k): str(v) for k, v in meta.items()}


def _subscription_id(obj: dict[str, Any]) -> str:
    if obj.get("object") == "subscription":
        return str(obj.get("id") or "")
    if obj.get("object") == "invoice":
        details = (obj.get("parent") or {}).get("subscription_details") or {}
        return str(details.get("subscription") or obj.get("subscription") or "")
    return str(obj.get("subscription") or "")


def _apply(event: dict[str, Any]) -> str:
    kind, obj, created = str(event.get("type", "")), event["data"]["object"], int(event.get("created") or 0)
    if kind == "account.updated":
        return _apply_account(obj)
    status = {
        "customer.subscription.created": lambda: str(obj.get("status", "")),
        "customer.subscription.updated": lambda: str(obj.get("status", "")),
        "customer.subscription.deleted": lambda: "canceled",
        "checkout.session.completed": lambda: (
            "active" if obj.get("payment_status") in ("paid", "no_payment_required") else ""
        ),
        "invoice.paid": lambda: "active",
        "invoice.payment_failed": lambda: "past_due",
    }.get(kind)
    if status is None:
        return f"ignored: {kind} is not handled"
    meta = _metadata(obj)
    new = status()
    if not new:
        return "ignored: checkout not paid yet"
    if kind.startswith("invoice.") and meta.get("kind") in ("plan", "listing"):
        _record_invoice(meta, obj, "paid" if kind == "invoice.paid" else "payment_failed", created)
    if meta.get("kind") == "plan":
        return _apply_plan(meta, obj, new, created)
    if meta.get("kind") == "listing":
        return _apply_listing(meta, obj, new, created)
    return "ignored: no platform metadata"


def _apply_plan(meta: dict[str, str], obj: dict[str, Any], status: str, created: int) -> str:
    tenant = Tenant.objects.filter(pk=int(meta.get("tenant_id", "0") or 0)).first()
    if tenant is None:
        return "ignored: unknown tenant"
    account, _ = BillingAccount.unscoped.select_for_update().get_or_create(tenant=tenant)
    if created < account.plan_state_at:
        return "stale: a newer event was applied"
    account.plan_state_at = created
    account.plan_subscription_id = _subscription_id(obj) or account.plan_subscription_id
    account.stripe_customer_id = str(obj.get("customer") or account.stripe_customer_id)
    account.plan_status = status
    account.plan_tier = meta.get("tier", account.plan_tier)
    account.grace_until = (account.grace_until or _grace_until()) if status == "past_due" else None
    account.updated_at = timezone.now()
    account.save()
    if status in PAID_STATES or status == "past_due":  # past_due keeps the tier during the grace period
        target = account.plan_tier
    elif status in ("canceled", "unpaid", "incomplete_expired"):
        target = settings.CONFIG.default_tier
    else:
        return f"recorded: plan {status}"
    _set_tier(tenant, target)
    return f"applied: plan {status} -> tier {target}"


def _set_tier(tenant: Tenant, code: str) -> None:
    tier = Tier.objects.filter(code=code).first()
    if tier is not None and tenant.tier_id != tier.pk:
        tenancy.tenant_set_tier(tenant=tenant, tier=tier, actor_label=ACTOR, actor_user_id=None, ip=None)


def _apply_listing(meta: dict[str, str], obj: dict[str, Any], status: str, created: int) -> str:
    sub = Subscription.unscoped.filter(pk=int(meta.get("subscription_id", "0") or 0)).first()
    if sub is None or str(sub.tenant_id) != meta.get("tenant_id"):
        return "ignored: unknown marketplace subscription"
    target = LISTING_STATES.get(status)
    if target is None:
        return f"ignored: listing subscription {status}"
    grace = (sub.grace_until or _grace_until()) if target == SubscriptionStatus.PAST_DUE else None
    applied = marketplace.subscription_set_status(
        sub.pk, target, grace_until=grace, state_at=created, stripe_subscription_id=_subscription_id(obj),
        stripe_customer_id=str(obj.get("customer") or ""),
    )  # fmt: skip
    return f"applied: listing subscription {target}" if applied else "stale: a newer event was applied"


def _record_invoice(meta: dict[str, str], obj: dict[str, Any], status: str, created: int) -> None:
    """Keep the invoice for the admin's invoice and payout views (newest event wins; an unknown tenant is skipped)."""
    invoice_id = str(obj.get("id") or "")
    tenant = Tenant.objects.filter(pk=int(meta.get("tenant_id", "0") or 0)).first()
    if not invoice_id or tenant is None:
        return
    row = Invoice.unscoped.select_for_update().filter(stripe_invoice_id=invoice_id).first()
    if row is not None and created < row.state_at:
        return
    row = row or Invoice(stripe_invoice_id=invoice_id, tenant=tenant)
    if meta.get("kind") == "listing" and row.listing_id is None:
        sub = Subscription.unscoped.filter(pk=int(meta.get("subscription_id", "0") or 0), tenant=tenant).first()
        listing = Listing.unscoped.filter(pk=sub.listing_id).first() if sub else None
        if listing is not None:
            row.listing, row.publisher_id = listing, listing.tenant_id
            row.platform_fee_percent = settings.CONFIG.billing.platform_fee_percent
    row.kind, row.status, row.state_at = meta.get("kind", ""), status, created
    row.stripe_subscription_id = _subscription_id(obj) or row.stripe_subscription_id
    row.currency = str(obj.get("currency") or row.currency)
    row.amount_due = int(obj.get("amount_due") or 0)
    row.amount_paid = int(obj.get("amount_paid") or 0)
    row.transfer_destination = str((obj.get("transfer_data") or {}).get("destination") or row.transfer_destination)
    row.hosted_invoice_url = str(obj.get("hosted_invoice_url") or row.hosted_invoice_url)
    row.created = int(obj.get("created") or row.created or 0)
    row.updated_at = timezone.now()
    row.save()


def _apply_account(obj: dict[str, Any]) -> str:
    """Connect: a publisher's account can receive transfers once Stripe enables charges and payouts."""
    ready = bool(obj.get("charges_enabled")) and bool(obj.get("payouts_enabled"))
    updated = PublisherProfile.unscoped.filter(stripe_account_id=str(obj.get("id") or "")).update(payouts_enabled=ready)
    return f"applied: payouts {'enabled' if ready else 'disabled'}" if updated else "ignored: unknown connected account"


def enforce_grace() -> int:
    """*beat*: plans past_due beyond their grace fall back to the default tier; listing subscriptions lapse."""
    n = marketplace.lapse_overdue()
    with dangerously_bypass_rls(), transaction.atomic():
        overdue = BillingAccount.unscoped.select_for_update().filter(plan_status="past_due",
                                                                      grace_until__lt=timezone.now())  # fmt: skip
        for account in overdue.select_related("tenant"):
            account.plan_status, account.grace_until = "lapsed", None
            account.save(update_fields=["plan_status", "grace_until"])
            _set_tier(account.tenant, settings.CONFIG.default_tier)
            events.subscription_lapsed(tenant_id=account.tenant_id, subscription_id=account.pk, kind="plan")
            n += 1
    return n
