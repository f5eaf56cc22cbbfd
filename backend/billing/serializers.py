from __future__ import annotations

from rest_framework import serializers

from backend.billing.models import BillingAccount


class BillingAccountOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BillingAccount
        fields = ["id", "plan_tier", "plan_status", "grace_until", "updated_at"]


class QuotaUsageOut(serializers.Serializer):  # type: ignore[type-arg]
    quota = serializers.CharField(help_text="the tier limit's name, e.g. paper_accounts")
    label = serializers.CharField()
    used = serializers.IntegerField(allow_null=True, help_text="null where it is not metered right now")
    limit = serializers.IntegerField()


class BillingOut(serializers.Serializer):  # type: ignore[type-arg]
    enabled = serializers.BooleanField(help_text="false: no Stripe on this installation (staff set tiers)")
    tier = serializers.CharField(allow_null=True)
    tier_name = serializers.CharField(allow_null=True)
    plans = serializers.ListField(child=serializers.CharField(), help_text="tiers on sale through Checkout")
    plan_status = serializers.CharField(allow_blank=True)
    grace_until = serializers.DateTimeField(allow_null=True)
    history_days = serializers.IntegerField(allow_null=True)
    usage = QuotaUsageOut(many=True)


class CheckoutIn(serializers.Serializer):  # type: ignore[type-arg]
    tier = serializers.CharField()


class SessionUrlOut(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    url = serializers.CharField()
