from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from backend.tenancy.models import TenantOwned


class Status(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Backtest(TenantOwned):
    """One backtest request and, once it ran, its results.

    Results are written in a single update together with status=succeeded, so a row is
    either complete or has no results at all.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    strategy = models.CharField(max_length=64)
    params = models.JSONField(default=dict)  # validated, defaults filled in
    exchange = models.CharField(max_length=32)
    symbol = models.CharField(max_length=32)
    interval = models.CharField(max_length=8)
    start = models.DateTimeField()
    end = models.DateTimeField()
    cash = models.DecimalField(max_digits=30, decimal_places=8)
    commission = models.DecimalField(max_digits=12, decimal_places=8)  # fee rate per fill, 0.001 = 0.1 %
    slippage_bps = models.DecimalField(max_digits=12, decimal_places=4)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.TextField(blank=True, default="")

    bars = models.PositiveIntegerField(null=True)
    final_equity = models.CharField(max_length=64, blank=True, default="")  # exact decimal
    metrics = models.JSONField(null=True)
    equity_curve = models.JSONField(null=True)  # [[time_ms, equity], ...], downsampled
    drawdown_curve = models.JSONField(null=True)  # [[time_ms, drawdown fraction], ...], downsampled
    trades = models.JSONField(null=True)  # the first TRADES_STORED round trips
    trades_total = models.PositiveIntegerField(null=True)
    trades_truncated = models.BooleanField(default=False)
    # Trade-resampling runs asked for (0 = none) and their outcome: percentiles and histograms.
    monte_carlo_simulations = models.PositiveIntegerField(default=0)
    monte_carlo = models.JSONField(null=True)

    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["tenant", "-created_at"], name="backtest_tenant_created")]

    def __str__(self) -> str:
        return f"backtest {self.pk} {self.strategy} {self.exchange}:{self.symbol} {self.interval} ({self.status})"
