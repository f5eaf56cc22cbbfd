"""The strategy marketplace: publishers, listings, versions, reviews, subscriptions.

Who sees what (row-level security, migration 0002):
- PublisherProfile, Listing, ListingVersion are owned by the publishing tenant; Review and
  Subscription by the reviewing / subscribing tenant. Writes always need the owner's tenant
  context (or the explicit bypass of system code and staff).
- Public reads are cross-tenant by design, and only through extra SELECT-only policies:
  a Listing once it has a published version (`public` true), a ListingVersion once it is
  published or yanked, a Review always. Those rows hold no module bytes: a version's
  upload bytes move into the publisher's StrategyModule (tenant-only RLS) when validation
  passes and the version row's copy is emptied, so a published row never carries code.
- Module bytes are therefore readable only by the publishing tenant, staff (admin bypass)
  and the strategy runner (bypass, to run a subscriber's entitled deployment); no endpoint
  serves them.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from backend.strategies.models import Deployment, StrategyModule
from backend.tenancy.models import TenantOwned


class PublisherProfile(TenantOwned):
    enabled = models.BooleanField(default=False)
    display_name = models.CharField(max_length=100)
    stripe_account_id = models.CharField(max_length=64, blank=True)  # Stripe Connect (Express) account
    payouts_enabled = models.BooleanField(default=False)  # from account.updated: charges and payouts enabled
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant"], name="publisher_one_per_tenant")]

    def __str__(self) -> str:
        return f"publisher {self.display_name} (tenant {self.tenant_id})"


class RiskLevel(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Listing(TenantOwned):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=64, unique=True)
    summary = models.CharField(max_length=280)
    description_md = models.TextField(blank=True)
    description_html = models.TextField(blank=True)  # rendered and sanitized at write time
    category = models.CharField(max_length=32)
    tags = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    markets = ArrayField(models.CharField(max_length=64), default=list, blank=True)  # "sim:BTC-USDT"
    intervals = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    price_cents = models.PositiveIntegerField(default=0)  # per month; 0 = free
    public = models.BooleanField(default=False)  # has a published version (the public-read policy's test)
    latest_version = models.ForeignKey(
        "ListingVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Denormalized for sorting across tenants (maintained by services, system writes):
    subscriber_count = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_avg = models.FloatField(null=True, blank=True)
    bt_return = models.FloatField(null=True, blank=True)
    bt_sharpe = models.FloatField(null=True, blank=True)
    bt_max_drawdown = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.CheckConstraint(condition=models.Q(price_cents__gte=0), name="listing_price_nonneg")]
        indexes = [models.Index(fields=["public", "-published_at"], name="listing_public_newest")]

    def __str__(self) -> str:
        return f"listing {self.slug}"

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0


class VersionStatus(models.TextChoices):
    VALIDATING = "validating"
    BACKTESTED = "backtested"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    REJECTED = "rejected"
    YANKED = "yanked"


class ListingVersion(TenantOwned):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=32)  # semver, checked at upload
    semver_key = ArrayField(models.PositiveIntegerField(), size=3)  # for "latest" ordering
    changelog = models.TextField(blank=True)
    manifest = models.JSONField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    upload = models.BinaryField(default=b"")  # emptied once validation moves the bytes into `module`
    module = models.ForeignKey(StrategyModule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default=VersionStatus.VALIDATING)
    reject_reason = models.TextField(blank=True)
    validation = models.JSONField(default=dict)
    backtest = models.JSONField(default=dict)  # the platform backtest: metrics, curve, data set
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    yanked_at = models.DateTimeField(null=True, blank=True)
    # The platform-owned paper deployment running this version since it was published (marketplace/reference.py):
    # its account's equity samples are the version's out-of-sample track record. Lives in the platform tenant.
    reference_deployment = models.ForeignKey(
        Deployment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["listing", "version"], name="listing_version_unique")]

    def __str__(self) -> str:
        return f"{self.listing_id}@{self.version} ({self.status})"


class Review(TenantOwned):
    """One per (listing, reviewing tenant); editable; only while subscribed (or entitled to a free one)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reviews")
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["listing", "tenant"], name="review_one_per_tenant"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="review_stars_range"),
        ]

    def __str__(self) -> str:
        return f"review {self.stars}* of {self.listing_id} by tenant {self.tenant_id}"


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending"  # Checkout started, no payment yet
    ACTIVE = "active"
    PAST_DUE = "past_due"  # payment failed; usable until grace_until
    LAPSED = "lapsed"  # grace over / unpaid: deployments paused
    CANCELLED = "cancelled"


ENTITLED_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)


class Subscription(TenantOwned):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING)
    follow_latest = models.BooleanField(default=True)
    pinned_version = models.ForeignKey(
        ListingVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_by_staff = models.BooleanField(default=False)
    stripe_customer_id = models.CharField(max_length=64, blank=True)
    stripe_subscription_id = models.CharField(max_length=64, blank=True, db_index=True)
    stripe_checkout_id = models.CharField(max_length=128, blank=True)
    stripe_state_at = models.BigIntegerField(default=0)  # `created` of the newest Stripe event applied
    grace_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant", "listing"], name="subscription_one_per_listing")]

    def __str__(self) -> str:
        return f"subscription of tenant {self.tenant_id} to {self.listing_id} ({self.status})"
