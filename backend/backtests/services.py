"""Writes to backtests: creating one (quota, queueing) and recording how its run went."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from backend.backtests.models import Backtest, Status
from backend.bus.subjects import Subjects
from backend.tenancy.context import tenant_context
from backend.tenancy.quotas import check_quota
from backend.trading import gateway

log = structlog.get_logger(__name__)
QUOTA_WINDOW = timedelta(days=1)
# Distinguishes this lock's keys from other users of pg_advisory_xact_lock(int, int).
_LOCK_SPACE = 0x42544553  # "BTES"


def backtest_create(
    *,
    tenant_id: int,
    user_id: int | None,
    strategy: str,
    params: dict[str, float],
    exchange: str,
    symbol: str,
    interval: str,
    start_ms: int,
    end_ms: int,
    cash: Decimal,
    commission: Decimal,
    slippage_bps: Decimal,
    monte_carlo_simulations: int = 0,
) -> Backtest:
    """Create a queued backtest within the tier's daily quota and queue its run once committed.

    Call inside tenant_context(tenant_id).
    """
    with transaction.atomic():
        # Serialize creates per tenant so two concurrent requests cannot both take the last slot.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, tenant_id])
        used = Backtest.objects.filter(created_at__gte=timezone.now() - QUOTA_WINDOW).count()
        check_quota(tenant_id=tenant_id, quota="backtests_per_day", used=used)
        backtest = Backtest.objects.create(
            tenant_id=tenant_id,
            created_by_id=user_id,
            strategy=strategy,
            params=params,
            exchange=exchange,
            symbol=symbol,
            interval=interval,
            start=_dt(start_ms),
            end=_dt(end_ms),
            cash=cash,
            commission=commission,
            slippage_bps=slippage_bps,
            monte_carlo_simulations=monte_carlo_simulations,
        )
        pk = backtest.pk
        transaction.on_commit(lambda: enqueue(pk, tenant_id))
    return backtest  # type: ignore[no-any-return]


def enqueue(backtest_id: int, tenant_id: int) -> None:
    """Send the run to the `backtests` queue; if the broker refuses, fail the row instead of leaving it queued."""
    from backend.backtests.tasks import run_backtest

    try:
        run_backtest.apply_async((backtest_id, tenant_id), queue="backtests")
    except Exception as exc:  # noqa: BLE001 - any broker error means the same thing here: not queued
        log.error("backtests.enqueue_failed", backtest_id=backtest_id, error=str(exc))
        mark_failed(backtest_id, tenant_id, "queue_unavailable", "The backtest could not be queued; try again later.")


def mark_progress(backtest_id: int, tenant_id: int, progress: float, **fields: Any) -> None:
    # Its own transaction: in a worker it commits at once, so readers see the progress.
    with tenant_context(tenant_id):
        Backtest.objects.filter(pk=backtest_id).update(progress=progress, **fields)
    status = fields.get("status", Status.RUNNING)
    _announce(backtest_id, tenant_id, {"id": backtest_id, "status": str(status), "progress": progress})


def _announce(backtest_id: int, tenant_id: int, body: dict[str, Any]) -> None:
    """Tell the push gateway's `backtests` channel (at most once: the row stays the truth)."""
    subject = Subjects(settings.QT_NATS.namespace).backtest_progress(tenant_id, backtest_id)
    try:
        gateway.publish(subject, json.dumps(body).encode(), timeout_s=2.0)
    except Exception:  # noqa: BLE001 - a lost progress notice costs a poll, never the run
        log.warning("backtests.progress_publish_failed", backtest_id=backtest_id)


def mark_succeeded(backtest_id: int, tenant_id: int, results: dict[str, Any]) -> None:
    """Status and every result field in one update: a row is never half a success."""
    with tenant_context(tenant_id):
        Backtest.objects.filter(pk=backtest_id).update(
            status=Status.SUCCEEDED,
            progress=1.0,
            finished_at=timezone.now(),
            error_code="",
            error_message="",
            **results,
        )
    _announce(backtest_id, tenant_id, {"id": backtest_id, "status": Status.SUCCEEDED.value, "progress": 1.0})


def mark_failed(backtest_id: int, tenant_id: int, code: str, message: str) -> None:
    with tenant_context(tenant_id):
        Backtest.objects.filter(pk=backtest_id).update(
            status=Status.FAILED,
            error_code=code,
            error_message=message,
            finished_at=timezone.now(),
            metrics=None,
            equity_curve=None,
            drawdown_curve=None,
            trades=None,
            trades_total=None,
            trades_truncated=False,
            bars=None,
            final_equity="",
            monte_carlo=None,
        )
    _announce(
        backtest_id, tenant_id, {"id": backtest_id, "status": Status.FAILED.value, "progress": 1.0, "error": code}
    )


def _dt(ms: int) -> Any:
    from backend.marketdata.writer import datetime_from_ms

    return datetime_from_ms(ms)
