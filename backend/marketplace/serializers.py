from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
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


class MyListingOut(ListingOut):
    """A listing as its publisher sees it in the list: with its revenue (context["revenue"]: listing id -> rows)."""

    revenue = serializers.SerializerMethodField()

    class Meta(ListingOut.Meta):
        fields = [*ListingOut.Meta.fields, "revenue"]

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/RevenueOut"}})
    def get_revenue(self, obj: Listing) -> list[dict[str, Any]]:
        return list(self.context.get("revenue", {}).get(obj.pk, []))


class PublicListingOut(ListingOut):
    """A listing in the public catalogue: its fields, the publisher's display name and the price's currency."""

    publisher = serializers.CharField(source="publisher_name", default="", read_only=True)
    currency = serializers.SerializerMethodField(help_text="ISO 4217 (lower case) of price_cents")

    class Meta(ListingOut.Meta):
        fields = [*ListingOut.Meta.fields, "publisher", "currency"]

    def get_currency(self, obj: Listing) -> str:
        return str(settings.CONFIG.billing.currency)


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
    listing_name = serializers.CharField(source="listing.name", read_only=True)
    listing_price_cents = serializers.IntegerField(source="listing.price_cents", read_only=True)
    currency = serializers.SerializerMethodField(help_text="ISO 4217 (lower case) of listing_price_cents")
    pinned_version = serializers.CharField(
        source="pinned_version.version", default=None, read_only=True, allow_null=True
    )
    deployable_version = serializers.SerializerMethodField()
    managed_by_stripe = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = ["id", "listing", "listing_name", "listing_price_cents", "currency", "status", "follow_latest",
                  "pinned_version", "deployable_version", "managed_by_stripe", "grace_until", "created_at",
                  "updated_at"]  # fmt: skip

    def get_currency(self, obj: Subscription) -> str:
        return str(settings.CONFIG.billing.currency)

    def get_managed_by_stripe(self, obj: Subscription) -> bool:
        """Paid through Stripe: cancel and change the card in the billing portal, not here."""
        return bool(obj.stripe_subscription_id)

    @extend_schema_field({"type": "integer", "nullable": True})
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


# == documentation of inputs and composite answers (the views build these bodies) =============
class FacetValueOut(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.CharField()
    count = serializers.IntegerField()


class FacetsOut(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField()
    free = serializers.IntegerField()
    paid = serializers.IntegerField()
    categories = FacetValueOut(many=True)
    tags = FacetValueOut(many=True)
    markets = FacetValueOut(many=True)
    intervals = FacetValueOut(many=True)
    risk_levels = FacetValueOut(many=True)


def _points() -> serializers.ListField:
    """[[time_ms, value], ...]"""
    pair = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)
    return serializers.ListField(child=pair, required=False)


class RecordOut(serializers.Serializer):  # type: ignore[type-arg]
    """One side of a track record: the platform backtest (in-sample) or the live paper record (out-of-sample).
    Empty ({}) when there is none; the live record has `status` (collecting, live, ...) and null metrics
    until it has two samples."""

    kind = serializers.ChoiceField(choices=["hypothetical", "live_paper"], required=False)
    sample = serializers.ChoiceField(choices=["in_sample", "out_of_sample"], required=False)
    label = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    since = serializers.DateTimeField(required=False)
    data_set = serializers.DictField(required=False)
    market = serializers.DictField(required=False)
    params = serializers.DictField(required=False)
    metrics = serializers.DictField(required=False, allow_null=True)
    equity = _points()
    drawdown = _points()
    samples = serializers.IntegerField(required=False)
    deployment_status = serializers.CharField(required=False)
    first_ts_ms = serializers.IntegerField(required=False)
    last_ts_ms = serializers.IntegerField(required=False)
    cash = serializers.CharField(required=False)
    currency = serializers.CharField(required=False)
    method = serializers.CharField(required=False)


class TrackRecordOut(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.CharField(required=False)
    computed_by = serializers.CharField(required=False)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    in_sample = RecordOut(required=False)
    out_of_sample = RecordOut(required=False)
    author_runs_this_version = serializers.BooleanField(required=False)


class ListingDetailOut(PublicListingOut):
    versions = PublicVersionOut(many=True, read_only=True)
    track_record = TrackRecordOut(read_only=True)
    reviews = ReviewOut(many=True, read_only=True)

    class Meta(PublicListingOut.Meta):
        fields = [*PublicListingOut.Meta.fields, "versions", "track_record", "reviews"]


class SubscribeIn(serializers.Serializer):  # type: ignore[type-arg]
    listing = serializers.SlugField(help_text="the listing's slug")
    follow_latest = serializers.BooleanField(default=True)
    version = serializers.CharField(required=False, help_text="the published version to pin (follow_latest false)")


class SubscribeOut(SubscriptionOut):
    checkout_url = serializers.URLField(read_only=True, required=False, help_text="paid listings: Stripe Checkout")

    class Meta(SubscriptionOut.Meta):
        fields = [*SubscriptionOut.Meta.fields, "checkout_url"]


class SubscriptionPinIn(serializers.Serializer):  # type: ignore[type-arg]
    follow_latest = serializers.BooleanField()
    version = serializers.CharField(required=False, help_text="the published version to pin (follow_latest false)")


class ReviewIn(serializers.Serializer):  # type: ignore[type-arg]
    listing = serializers.SlugField()
    stars = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReviewEditIn(serializers.Serializer):  # type: ignore[type-arg]
    stars = serializers.IntegerField(min_value=1, max_value=5, required=False)
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
