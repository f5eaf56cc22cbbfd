from __future__ import annotations

from typing import Any

from rest_framework import serializers

from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, Subscription

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
