"""Admin console: billing accounts and every Stripe event (payload, result) with a re-process action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.billing import services
from backend.billing.models import BillingAccount, StripeEvent
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
