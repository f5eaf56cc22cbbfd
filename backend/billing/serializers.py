from __future__ import annotations

from rest_framework import serializers

from backend.billing.models import BillingAccount


class BillingAccountOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BillingAccount
        fields = ["id", "plan_tier", "plan_status", "grace_until", "updated_at"]
