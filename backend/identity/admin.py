"""Users in the operations console: the custom (email, no username) user model."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from backend.identity.models import User
from backend.tenancy.admin import StaffAuditMixin
from backend.tenancy.models import Membership, Role


def _unique_email(value: str, *, exclude_pk: int | None) -> str:
    # Stored lower-case, as UserManager.create_user does, and unique regardless of case.
    email = User.objects.normalize_email(value).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        raise forms.ValidationError("A user with this email address already exists.")
    return email


class UserCreationForm(auth_forms.BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return _unique_email(self.cleaned_data["email"], exclude_pk=None)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _unique_email(self.cleaned_data["email"], exclude_pk=self.instance.pk)


_PASSWORD_FIELDS = {"password1", "password2", "usable_password", "set_usable_password"}


@admin.register(User)
class UserAdmin(StaffAuditMixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def audit_fields(self, form: forms.BaseForm) -> list[str]:
        # Name the password, never its two form fields.
        return sorted({"password" if name in _PASSWORD_FIELDS else name for name in form.changed_data})

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Success redirects to the user's change page; a refused submission re-renders
        # the form (200) or redirects back to itself.
        if request.method == "POST" and response.status_code == 302 and response.url != request.get_full_path():
            user: Any = self.get_object(request, unquote(id))
            self.audit_staff(
                request, model_name="user", verb="changed", target=str(user), tenant_id=None, fields=["password"]
            )
        return response

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A user who is a tenant's only owner cannot be deleted: the tenant would be
        # left with nobody able to manage members or billing. Transfer ownership first.
        if obj is not None and sole_owner_of(obj.pk):
            return False
        return bool(super().has_delete_permission(request, obj))


def sole_owner_of(user_id: int) -> list[int]:
    """Tenants whose only owner is this user."""
    owned = Membership.unscoped.filter(user_id=user_id, role=Role.OWNER).values_list("tenant_id", flat=True)
    others = (
        Membership.unscoped.filter(tenant_id__in=list(owned), role=Role.OWNER)
        .exclude(user_id=user_id)
        .values_list("tenant_id", flat=True)
    )
    return sorted(set(owned) - set(others))
