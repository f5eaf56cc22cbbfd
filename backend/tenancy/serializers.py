from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from backend.tenancy.models import ApiKey, AuditEvent, Invitation, Membership, Role, Scope, Tenant


class TenantOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    tier = serializers.CharField(source="tier.code")
    role = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["id", "name", "slug", "tier", "role", "created_at"]

    def get_role(self, tenant: Tenant) -> str | None:
        roles: dict[int, str] = self.context.get("roles", {})
        return roles.get(tenant.pk)


class TenantIn(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=120, min_length=1)


class MembershipOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "created_at"]


class MembershipIn(serializers.Serializer):  # type: ignore[type-arg]
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at", "accepted_at"]


class InvitationIn(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationPreviewOut(serializers.Serializer):  # type: ignore[type-arg]
    tenant_id = serializers.IntegerField()
    tenant_name = serializers.CharField()
    email = serializers.EmailField(help_text="the address invited: accept signed in as this email")
    role = serializers.ChoiceField(choices=Role.choices)
    expires_at = serializers.DateTimeField()


class InvitationAcceptIn(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=200)


class ApiKeyOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "last_used_ip",
        ]


class ApiKeyCreatedOut(ApiKeyOut):
    key = serializers.CharField(help_text="The full key. Shown once: store it now.")

    class Meta(ApiKeyOut.Meta):
        fields = [*ApiKeyOut.Meta.fields, "key"]


class ApiKeyIn(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100, min_length=1)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices), min_length=1, max_length=3)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_expires_at(self, value):  # type: ignore[no-untyped-def]
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("must be in the future")
        return value


class ApiKeyUpdateIn(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100, min_length=1)


class AuditEventOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AuditEvent
        fields = ["id", "action", "actor_label", "target", "ip", "data", "created_at"]
