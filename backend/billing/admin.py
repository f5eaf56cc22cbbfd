"""Admin console: billing accounts, every Stripe event (payload, result) with a re-process action, and
read-only invoices and payouts (the publisher's share of paid marketplace invoices)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.billing import services
from backend.billing.models import BillingAccount, Invoice, Payout, StripeEvent
from backend.tenancy.admin import StaffAuditMixin


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["event_id", "type", "created", "received_at", "processed_at", "result"]
    list_filter = ["type"]
    readonly_fields = ["event_id", "type", "created", "payload", "received_at", "processed_at", "result"]
    actions = ["reprocess"]

    @admin.action(description="Re-process selected events")
    def reprocess(self, request: HttpRequest, queryset: QuerySet[StripeEvent]) -> None:
        for event in queryset:
            try:
                result = services.process(event.pk)
            except Exception as exc:  # noqa: BLE001 - shown to staff; the other rows go on
                self.message_user(request, f"{event.event_id}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{event.event_id}: {result}")


@admin.register(BillingAccount)
class BillingAccountAdmin(StaffAuditMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["tenant", "stripe_customer_id", "plan_tier", "plan_status", "grace_until"]


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Stripe is the source of these rows: staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(_ReadOnly):
    list_display = ["stripe_invoice_id", "tenant", "kind", "status", "amount", "listing", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["stripe_invoice_id", "stripe_subscription_id"]

    @admin.display(description="amount paid / due")
    def amount(self, obj: Invoice) -> str:
        return f"{obj.amount_paid / 100:.2f} / {obj.amount_due / 100:.2f} {obj.currency.upper()}"

    @admin.display(description="created")
    def created_at(self, obj: Invoice) -> str:
        return datetime.fromtimestamp(obj.created, tz=UTC).strftime("%Y-%m-%d %H:%M") if obj.created else "-"


@admin.register(Payout)
class PayoutAdmin(_ReadOnly):
    """The publisher's share of every paid marketplace invoice: amount paid x (100 - platform fee) %."""

    list_display = ["stripe_invoice_id", "publisher", "listing", "paid", "fee", "share", "transfer_destination"]
    list_filter = ["publisher"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payout]:
        qs = super().get_queryset(request).filter(kind="listing", status="paid")
        return qs.select_related("listing", "publisher")

    @admin.display(description="paid")
    def paid(self, obj: Payout) -> str:
        return f"{obj.amount_paid / 100:.2f} {obj.currency.upper()}"

    @admin.display(description="platform fee")
    def fee(self, obj: Payout) -> str:
        return f"{obj.platform_fee_cents / 100:.2f} ({obj.platform_fee_percent:g}%)"

    @admin.display(description="publisher share")
    def share(self, obj: Payout) -> str:
        return f"{obj.publisher_share_cents / 100:.2f} {obj.currency.upper()}"
