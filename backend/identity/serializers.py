from __future__ import annotations

from rest_framework import serializers


class SignUpIn(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    tenant_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class LoginIn(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.RegexField(r"^[0-9]{6,8}$", required=False, allow_blank=True)


class PasswordResetIn(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()


class PasswordResetConfirmIn(serializers.Serializer):  # type: ignore[type-arg]
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class OtpIn(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.RegexField(r"^[0-9]{6,8}$")


class OtpDisableIn(OtpIn):
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class MembershipBrief(serializers.Serializer):  # type: ignore[type-arg]
    tenant_id = serializers.IntegerField()
    tenant_name = serializers.CharField(source="tenant.name")
    tenant_slug = serializers.CharField(source="tenant.slug")
    tier = serializers.CharField(source="tenant.tier.code")
    role = serializers.CharField()


class MeOut(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    is_staff = serializers.BooleanField()
    otp_enabled = serializers.BooleanField()
    active_tenant_id = serializers.IntegerField(allow_null=True)
    memberships = MembershipBrief(many=True)
