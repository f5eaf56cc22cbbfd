"""Alert rules and their firings; webhook endpoints, the events sent to them, deliveries and attempts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from backend.tenancy.models import TenantOwned


class AlertRule(TenantOwned):
    class Source(models.TextChoices):
        TRADE = "trade"
        LIVE = "live"
        CLOSED = "closed"
        EVENT = "event"

    class Mode(models.TextChoices):
        ONCE = "once"
        EVERY_TIME = "every_time"
        COOLDOWN = "cooldown"

    name = models.CharField(max_length=100)
    exchange = models.CharField(max_length=32, blank=True)
    symbol = models.CharField(max_length=32, blank=True)
    interval = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    condition = models.JSONField()
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.EVERY_TIME)
    cooldown_s = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    message_template = models.CharField(max_length=500)
    notify_in_app = models.BooleanField(default=True)
    notify_webhook = models.BooleanField(default=True)
    notify_email = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # Bumped on every edit: the engine resets an edited rule's trigger state.
    version = models.PositiveIntegerField(default=0)
    fired_count = models.PositiveIntegerField(default=0)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["exchange", "symbol"], name="alerts_rule_market")]


class AlertFiring(TenantOwned):
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings")
    fired_at = models.DateTimeField()
    message = models.CharField(max_length=1000)
    values = models.JSONField()

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["rule", "-fired_at"], name="alerts_firing_rule_time")]


class WebhookEndpoint(TenantOwned):
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    event_types = ArrayField(models.CharField(max_length=40))
    # Fernet tokens (backend/alerts/secrets.py): signing needs the secret itself.
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass


class WebhookEvent(TenantOwned):
    """One message as sent to every subscribed endpoint: its id is the webhook-id (idempotency key)."""

    type = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass

    @property
    def message_id(self) -> str:
        return f"msg_{self.pk}"


class WebhookDelivery(TenantOwned):
    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="alerts_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alerts_delivery_due")]


class WebhookAttempt(TenantOwned):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass


class SignalEndpoint(TenantOwned):
    """Inbound signals (docs/webhooks.md "Inbound signals"): POST /api/v1/signals/in/<id> places orders
    on the bound paper account. Only SHA-256 of the secret is kept (it is 256 random bits)."""

    name = models.CharField(max_length=100)
    account = models.ForeignKey("trading.PaperAccount", on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64)
    # CIDR networks a signal may come from; empty: any source.
    allowed_ips = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass


class InboundSignal(TenantOwned):
    """One accepted signal, and what became of it. Unique per endpoint on its signal id (idempotency)."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        PLACED = "placed"
        REJECTED = "rejected"
        FAILED = "failed"

    endpoint = models.ForeignKey(SignalEndpoint, on_delete=models.CASCADE, related_name="signals")
    signal_id = models.CharField(max_length=128, null=True, blank=True)
    action = models.CharField(max_length=16)
    symbol = models.CharField(max_length=32)
    size = models.CharField(max_length=64, blank=True)
    price = models.CharField(max_length=64, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    code = models.CharField(max_length=64, blank=True)
    message = models.CharField(max_length=300, blank=True)
    order_id = models.CharField(max_length=64, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "signal_id"], name="inbound_signal_unique_id"),
        ]
