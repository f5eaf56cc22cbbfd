"""Strategy modules (uploaded, tenant-owned), the built-in catalogue (platform-owned) and live deployments.

A module's bytes live in PostgreSQL (BinaryField): runners on any host read them from
there, and row-level security keeps one tenant's code out of every other tenant's reach.
A deployment's `members` is its strategy (one member) or ensemble, normalized:
[{"kind": "builtin"|"module", "ref": name or module id, "version": ..., "params": {...}, "weight": w}].
`config_version` counts owner changes, so a runner polling the table rebuilds exactly the
deployments whose configuration or status changed, not ones whose state it wrote itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from backend.tenancy.models import TenantOwned
from backend.trading.fields import ExactDecimalField
from backend.trading.models import PaperAccount


class BuiltinStrategy(models.Model):
    """One reference module of the built-in catalogue (strategies/build, `manage.py strategy sync_builtin`)."""

    name = models.CharField(max_length=64, unique=True)
    version = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    manifest = models.JSONField()
    sha256 = models.CharField(max_length=64)
    wasm = models.BinaryField()
    synced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"builtin {self.name}@{self.version}"


class StrategyModule(TenantOwned):
    """An uploaded, validated module version; immutable once stored (a new upload is a new row)."""

    name = models.CharField(max_length=64)
    version = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    manifest = models.JSONField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    wasm = models.BinaryField()
    validation = models.JSONField(default=dict)  # the ValidationReport
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant", "sha256"], name="strategy_module_unique_hash")]

    def __str__(self) -> str:
        return f"module {self.pk} {self.name}@{self.version}"


class DeploymentStatus(models.TextChoices):
    RUNNING = "running"
    PAUSED = "paused"
    ERRORED = "errored"
    STOPPED = "stopped"


class Deployment(TenantOwned):
    name = models.CharField(max_length=100)
    members = models.JSONField()
    exchange = models.CharField(max_length=32)
    symbol = models.CharField(max_length=32)
    interval = models.CharField(max_length=8)
    account = models.ForeignKey(PaperAccount, on_delete=models.PROTECT, related_name="+")
    sizing = models.CharField(max_length=24, default="fixed_fraction")
    sizing_params = models.JSONField(default=dict)
    stop_loss = models.FloatField(null=True, blank=True)  # fractions of the entry price / of peak equity
    take_profit = models.FloatField(null=True, blank=True)
    max_drawdown = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=DeploymentStatus.choices, default=DeploymentStatus.RUNNING)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    error_at = models.DateTimeField(null=True, blank=True)
    config_version = models.PositiveIntegerField(default=1)
    # Runner state (written by the strategy_runner only).
    target_exposure = models.FloatField(null=True, blank=True)
    position_qty = ExactDecimalField(default=0)
    entry_price = ExactDecimalField(null=True, blank=True)
    peak_equity = ExactDecimalField(null=True, blank=True)
    last_bar_ms = models.BigIntegerField(null=True, blank=True)
    # The strategy's exposure when a stop flattened the position: the deployment stays
    # flat until the strategy changes its mind, across runner restarts too.
    stop_latch = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [
            models.Index(fields=["tenant", "status"], name="deployment_tenant_status"),
            models.Index(fields=["status"], name="deployment_status"),
        ]

    def __str__(self) -> str:
        return f"deployment {self.pk} {self.name}"


class Signal(TenantOwned):
    """A decision of a deployment: its target changed at a bar's close, and the order it caused."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="signals")
    bar_open_ms = models.BigIntegerField()
    exposure = models.FloatField()  # the strategies' combined exposure
    target = models.FloatField()  # after sizing and stops
    reason = models.CharField(max_length=24)  # signal, stop_loss, take_profit, max_drawdown, stopped
    price = ExactDecimalField(null=True)
    equity = ExactDecimalField(null=True)
    qty = ExactDecimalField(default=0)  # signed order quantity (0: nothing to trade)
    orders = models.JSONField(default=list)  # [{id, status, side, qty, filled_qty, avg_price, reject_reason}]
    ts = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["deployment", "bar_open_ms", "reason"], name="signal_unique_bar"),
        ]
        indexes = [models.Index(fields=["deployment", "-bar_open_ms"], name="signal_deployment_time")]
