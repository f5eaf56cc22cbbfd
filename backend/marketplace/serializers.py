from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, RiskLevel, Subscription

LISTING_FIELDS = [
    "id", "name", "slug", "summary", "description_md", "description_html", "category", "tags", "markets",
    "intervals", "risk_level", "price_cents", "public", "subscriber_count", "rating_count", "rating_avg",
    "bt_return", "bt_sharpe", "bt_max_drawdown", "created_at", "published_at",
]  # fmt: skip


class PublisherOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PublisherProfile
        fields = ["id", "display_name", "enabled", "stripe_account_id", "payouts_enabled", "created_at"]


class ListingOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    latest_version = serializers.CharField(source="latest_version.version", default=None, read_only=True)

    class Meta:
        model = Listing
        fields = [*LISTING_FIELDS, "latest_version"]


class VersionOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A version as its publisher sees it (never the bytes)."""

    class Meta:
        model = ListingVersion
        fields = ["id", "listing", "version", "changelog", "manifest", "sha256", "size", "status", "reject_reason",
                  "validation", "backtest", "created_at", "reviewed_at", "published_at", "yanked_at"]  # fmt: skip


class PublicVersionOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ListingVersion
        fields = ["id", "version", "changelog", "manifest", "status", "published_at", "yanked_at"]


class ReviewOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    listing = serializers.CharField(source="listing.slug", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "listing", "stars", "text", "created_at", "updated_at"]


class SubscriptionOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    listing = serializers.CharField(source="listing.slug", read_only=True)
    pinned_version = serializers.CharField(source="pinned_version.version", default=None, read_only=True)
    deployable_version = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = ["id", "listing", "status", "follow_latest", "pinned_version", "deployable_version", "grace_until",
                  "created_at", "updated_at"]  # fmt: skip

    def get_deployable_version(self, obj: Subscription) -> Any:
        """The version id to pass as listing_version when deploying (pinned, else the latest published)."""
        return obj.pinned_version_id if not obj.follow_latest else obj.listing.latest_version_id


# == the publisher side's request and response shapes (documentation: services.py validates) ===================
@extend_schema_serializer(many=False)  # the list action answers one object: the tenant has one profile
class PublisherStateOut(serializers.Serializer):  # type: ignore[type-arg]
    """GET /marketplace/publisher: the profile (id null until created) and whether payouts can be set up here."""

    id = serializers.IntegerField(allow_null=True)
    display_name = serializers.CharField()
    enabled = serializers.BooleanField()
    stripe_account_id = serializers.CharField(required=False)
    payouts_enabled = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(required=False)
    billing_enabled = serializers.BooleanField(help_text="false: no Stripe here, so no Connect onboarding or payouts")


class PublisherIn(serializers.Serializer):  # type: ignore[type-arg]
    display_name = serializers.CharField(max_length=100)
    enabled = serializers.BooleanField(required=False, default=True)


class ListingIn(serializers.Serializer):  # type: ignore[type-arg]
    """Create: every field but description/risk_level/tags/markets/intervals/price_cents is required.
    Update (PATCH): any subset, except slug (immutable)."""

    name = serializers.CharField(max_length=100)
    slug = serializers.CharField(max_length=64, required=False, help_text="create only: 3..64 of a-z 0-9 -")
    summary = serializers.CharField(max_length=280)
    description = serializers.CharField(required=False, allow_blank=True, help_text="Markdown (rendered, sanitized)")
    category = serializers.CharField(max_length=32)
    tags = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    markets = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    intervals = serializers.ListField(child=serializers.CharField(max_length=8), required=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    price_cents = serializers.IntegerField(min_value=0, required=False, help_text="per month; 0 = free")


class VersionUploadIn(serializers.Serializer):  # type: ignore[type-arg]
    module = serializers.FileField(help_text="the .wasm module")
    manifest = serializers.CharField(help_text="the JSON manifest (a file or a text field)")
    version = serializers.CharField(help_text="semantic version MAJOR.MINOR.PATCH")
    changelog = serializers.CharField(required=False, allow_blank=True)


class RevenueMonthOut(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.CharField(help_text="YYYY-MM (UTC) of the invoice")
    currency = serializers.CharField()
    gross_cents = serializers.IntegerField()
    publisher_cents = serializers.IntegerField()
    invoices = serializers.IntegerField()


class RevenueOut(serializers.Serializer):  # type: ignore[type-arg]
    currency = serializers.CharField()
    gross_cents = serializers.IntegerField(help_text="paid listing invoices, before the platform fee")
    publisher_cents = serializers.IntegerField(help_text="your share after the platform fee")
    paid_invoices = serializers.IntegerField()


class ListingStatsOut(serializers.Serializer):  # type: ignore[type-arg]
    subscribers = serializers.DictField(child=serializers.IntegerField(), help_text="subscription count by status")
    entitled = serializers.IntegerField(help_text="active + past_due: the subscribers who can run it")
    revenue = RevenueOut(many=True, help_text="one row per currency")
    failed_invoices = serializers.IntegerField()
    monthly = RevenueMonthOut(many=True, help_text="paid invoices by month, last 12 months, newest first")
    billing_enabled = serializers.BooleanField()
