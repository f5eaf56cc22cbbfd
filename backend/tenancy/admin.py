"""The operations console for tenancy: tenants, tiers, members, keys, invitations, audit.

Every admin view runs with the RLS bypass (see admin_site), so these ModelAdmins use the
models' default managers (`unscoped`), never the tenant-scoped `objects`. Every save or
delete staff make here is itself written to the audit trail (StaffAuditMixin), and the
changes that have a service (tier moves, key revocation) go through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from backend.tenancy import audit, services
from backend.tenancy.models import ApiKey, AuditEvent, Invitation, Membership, Role, Tenant, Tier


def staff_label(request: HttpRequest) -> str:
    return f"staff {request.user.email}"


class StaffAuditMixin:
    """Writes an audit event for every save and delete made through a ModelAdmin:
    `staff.<model>.added|changed|deleted`, by the staff user, with the changed fields."""

    def audit_tenant_id(self, obj: models.Model) -> int | None:
        """The tenant the event belongs to: the object's own, or none (users, tiers)."""
        return getattr(obj, "tenant_id", None)

    def audit_fields(self, form: forms.BaseForm) -> list[str]:
        return sorted(form.changed_data)

    def audit_staff(
        self,
        request: HttpRequest,
        *,
        model_name: str,
        verb: str,
        target: str,
        tenant_id: int | None,
        fields: Iterable[str] | None = None,
    ) -> None:
        audit.record(
            f"staff.{model_name}.{verb}",
            tenant_id=tenant_id,
            actor_label=staff_label(request),
            actor_user_id=request.user.pk,
            ip=request.META.get("REMOTE_ADDR"),
            target=target,
            data={} if fields is None else {"fields": list(fields)},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        self.audit_staff(
            request,
            model_name=obj._meta.model_name,
            verb="changed" if change else "added",
            target=str(obj),
            tenant_id=self.audit_tenant_id(obj),
            fields=self.audit_fields(form),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Described before deleting: afterwards the pk (and so str()) may be gone.
        target, tenant_id, model_name = str(obj), self.audit_tenant_id(obj), obj._meta.model_name
        super().delete_model(request, obj)  # type: ignore[misc]
        self.audit_staff(request, model_name=model_name, verb="deleted", target=target, tenant_id=tenant_id)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        deleted = [(str(obj), self.audit_tenant_id(obj), obj._meta.model_name) for obj in queryset]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for target, tenant_id, model_name in deleted:
            self.audit_staff(request, model_name=model_name, verb="deleted", target=target, tenant_id=tenant_id)


def _count_per_tenant(queryset: models.QuerySet[Any]) -> Coalesce:
    """COUNT(*) of `queryset`'s rows for the outer tenant row, as a subquery (the FKs to
    Tenant have no reverse relation to annotate through)."""
    counts = queryset.filter(tenant=OuterRef("pk")).order_by().values("tenant").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@admin.register(Tier)
class TierAdmin(StaffAuditMixin, admin.ModelAdmin):
    """Plan limits. Saving one invalidates the cached limits of its tenants (post_save signal)."""

    LIMIT_FIELDS = (
        "requests_per_minute",
        "requests_per_day",
        *Tier.QUOTA_FIELDS,
    )
    list_display = ("code", "name", *LIMIT_FIELDS)
    ordering = ("requests_per_minute", "code")
    search_fields = ("code", "name")
    fieldsets = (
        (None, {"fields": ("code", "name")}),
        ("Rate limits", {"fields": ("requests_per_minute", "requests_per_day")}),
        ("Quotas", {"fields": Tier.QUOTA_FIELDS}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Tier | None = None) -> tuple[str, ...]:
        # The code is how config (default_tier, seeding) names the tier: fixed once created.
        return ("code",) if obj is not None else ()


class MembershipInlineFormSet(BaseInlineFormSet):
    @classmethod
    def get_default_prefix(cls) -> str:
        # The FK has related_name="+", which would otherwise give an empty prefix.
        return "memberships"


class MembershipInline(admin.TabularInline):
    """Who belongs to the tenant; roles are changed on the membership itself."""

    model = Membership
    formset = MembershipInlineFormSet
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("created_at",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Tenant)
class TenantAdmin(StaffAuditMixin, admin.ModelAdmin):
    """Customers. Created by sign-up (with their owner), deactivated rather than deleted
    (deleting would cascade to everything the tenant owns, its audit trail included)."""

    list_display = ("name", "slug", "tier", "is_active", "created_at", "member_count", "active_key_count")
    list_filter = ("tier", "is_active")
    search_fields = ("name", "slug")
    list_select_related = ("tier",)
    ordering = ("name",)
    fields = ("name", "slug", "tier", "is_active", "created_at")
    readonly_fields = ("created_at",)
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Tenant]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=_count_per_tenant(Membership.unscoped.all()),
                active_key_count=_count_per_tenant(ApiKey.unscoped.filter(revoked_at__isnull=True)),
            )
        )

    @admin.display(description="members", ordering="member_count")
    def member_count(self, obj: Tenant) -> int:
        return obj.member_count  # type: ignore[attr-defined]

    @admin.display(description="active API keys", ordering="active_key_count")
    def active_key_count(self, obj: Tenant) -> int:
        return obj.active_key_count  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def audit_tenant_id(self, obj: models.Model) -> int | None:
        return obj.pk

    def save_model(self, request: HttpRequest, obj: Tenant, form: Any, change: bool) -> None:
        if change:
            # A tier move goes through the service: audited as tier.changed, caches dropped.
            stored = Tenant.objects.select_for_update(of=("self",)).select_related("tier").get(pk=obj.pk)
            if stored.tier_id != obj.tier_id:
                services.tenant_set_tier(
                    tenant=stored,
                    tier=obj.tier,
                    actor_label=staff_label(request),
                    actor_user_id=request.user.pk,
                    ip=request.META.get("REMOTE_ADDR"),
                )
        # The other fields (and the tier, now equal to the stored one) are saved as usual.
        super().save_model(request, obj, form, change)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("tenant", "user", "role")

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        instance = self.instance
        if instance.pk is not None and role != Role.OWNER:
            stored = Membership.unscoped.filter(pk=instance.pk).values_list("role", flat=True).first()
            if stored == Role.OWNER and not _other_owners(instance).exists():
                raise forms.ValidationError("A tenant needs at least one owner.")
        return role


def _other_owners(membership: Membership) -> models.QuerySet[Membership]:
    return Membership.unscoped.filter(tenant_id=membership.tenant_id, role=Role.OWNER).exclude(pk=membership.pk)


@admin.register(Membership)
class MembershipAdmin(StaffAuditMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user__email", "tenant", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "tenant__name", "tenant__slug")
    list_select_related = ("user", "tenant")
    autocomplete_fields = ("tenant", "user")
    ordering = ("tenant__name", "user__email")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        return ("tenant", "user", "created_at") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        if obj is not None and obj.role == Role.OWNER and not _other_owners(obj).exists():
            return False  # the last owner stays
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk delete would skip the last-owner check above: delete one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class RevokedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "active"), ("revoked", "revoked")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[ApiKey]) -> models.QuerySet[ApiKey]:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(StaffAuditMixin, admin.ModelAdmin):
    """Tenants create keys through the API (the secret is shown once, only its hash is
    kept, and never shown here); staff may rename or revoke them."""

    list_display = (
        "prefix",
        "name",
        "tenant",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_ip",
    )
    list_filter = (RevokedFilter, "tenant")
    search_fields = ("key_id", "name", "tenant__name", "tenant__slug")
    list_select_related = ("tenant",)
    ordering = ("-created_at",)
    fields = (
        "prefix",
        "name",
        "tenant",
        "scopes",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_ip",
    )
    exclude = ("secret_hash",)
    readonly_fields = tuple(f for f in fields if f != "name")
    actions = ("revoke_keys",)

    @admin.display(description="prefix", ordering="key_id")
    def prefix(self, obj: ApiKey) -> str:
        return obj.prefix

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the row stays for the audit trail

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: models.QuerySet[ApiKey]) -> None:
        revoked = 0
        for key in queryset:
            if key.revoked_at is None:
                revoked += 1
            services.api_key_revoke(
                api_key=key,
                actor_label=staff_label(request),
                actor_user_id=request.user.pk,
                ip=request.META.get("REMOTE_ADDR"),
            )
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(StaffAuditMixin, ReadOnlyAdmin):
    """Read-only (the token is only ever mailed; its hash is not shown). Deleting one,
    which cancels it, is allowed and audited."""

    list_display = ("email", "tenant", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "tenant__name", "tenant__slug")
    list_select_related = ("tenant",)
    ordering = ("-created_at",)
    fields = ("email", "tenant", "role", "invited_by", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)
    readonly_fields = fields


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail: nobody edits or deletes it, staff included."""

    list_display = ("created_at", "tenant", "action", "actor_label", "target", "ip")
    list_filter = ("action", "tenant")
    search_fields = ("actor_label", "target")
    list_select_related = ("tenant",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    fields = (
        "created_at",
        "tenant",
        "action",
        "actor_label",
        "actor_user",
        "actor_api_key",
        "target",
        "ip",
        "data",
    )
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
