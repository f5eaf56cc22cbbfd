"""Admin console: the review queue (approve / reject with a reason asked on an intermediate page),
yanks, listings, subscriptions (staff grants when billing is disabled)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from backend.marketplace import services
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, Subscription
from backend.tenancy.admin import StaffAuditMixin


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), max_length=2000, strip=True)


@admin.register(ListingVersion)
class ListingVersionAdmin(StaffAuditMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["listing", "version", "status", "created_at", "reviewed_at"]
    list_filter = ["status"]
    readonly_fields = [
        "listing",
        "version",
        "manifest",
        "sha256",
        "size",
        "module",
        "status",
        "validation",
        "backtest",
        "created_at",
        "reviewed_at",
        "published_at",
        "yanked_at",
        "reference_deployment",
        "reject_reason",
    ]
    exclude = ["upload", "semver_key"]
    actions = ["approve", "reject", "yank"]

    @admin.action(description="Approve (publish) selected versions in review")
    def approve(self, request: HttpRequest, queryset: QuerySet[ListingVersion]) -> None:
        self._each(request, queryset, lambda v: services.version_review(v.pk, approve=True), "approved")

    @admin.action(description="Reject selected versions in review (asks for the reason)")
    def reject(self, request: HttpRequest, queryset: QuerySet[ListingVersion]) -> HttpResponse | None:
        """An intermediate page asks for the reason; its POST (apply) rejects the versions with it."""
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(request, queryset, lambda v: services.version_review(v.pk, approve=False, reason=reason),
                       "rejected")  # fmt: skip
            return None  # back to the changelist
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject versions",
            "versions": list(queryset.select_related("listing")),
            "form": form if form.is_bound else RejectForm(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/marketplace/reject_versions.html", context)

    @admin.action(description="Yank selected published versions (pauses their deployments)")
    def yank(self, request: HttpRequest, queryset: QuerySet[ListingVersion]) -> None:
        self._each(request, queryset, services.version_yank, "yanked")

    def _each(self, request: HttpRequest, queryset: QuerySet[ListingVersion], fn: Any, verb: str) -> None:
        for version in queryset:
            try:
                fn(version)
            except Exception as exc:  # noqa: BLE001 - shown to staff; the other rows go on
                self.message_user(request, f"{version}: {exc}", messages.ERROR)
                continue
            self.audit_staff(
                request, model_name="listingversion", verb=verb, target=str(version), tenant_id=version.tenant_id
            )


@admin.register(Listing)
class ListingAdmin(StaffAuditMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["slug", "name", "tenant", "public", "price_cents", "subscriber_count", "rating_avg"]
    list_filter = ["public", "category"]


@admin.register(Subscription)
class SubscriptionAdmin(StaffAuditMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Status moves only through the actions (services), so a lapse always pauses the deployments."""

    list_display = ["tenant", "listing", "status", "granted_by_staff", "grace_until", "stripe_subscription_id"]
    list_filter = ["status"]
    readonly_fields = ["status", "grace_until", "stripe_subscription_id", "stripe_customer_id", "stripe_state_at"]
    actions = ["grant", "lapse"]

    @admin.action(description="Grant (activate) selected subscriptions (e.g. without Stripe)")
    def grant(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for sub in queryset:
            Subscription.unscoped.filter(pk=sub.pk).update(granted_by_staff=True)
            services.subscription_set_status(sub.pk, "active")
            self.audit_staff(request, model_name="subscription", verb="granted", target=str(sub),
                             tenant_id=sub.tenant_id)  # fmt: skip

    @admin.action(description="Lapse selected subscriptions (their deployments are paused)")
    def lapse(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for sub in queryset:
            services.subscription_set_status(sub.pk, "lapsed")
            self.audit_staff(request, model_name="subscription", verb="lapsed", target=str(sub),
                             tenant_id=sub.tenant_id)  # fmt: skip


admin.site.register(PublisherProfile)
admin.site.register(Review)
