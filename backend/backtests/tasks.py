"""The backtest run, as a Celery task on the `backtests` queue."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from backend.backtests import runs, services
from backend.backtests.klines import TooManyBars, load_bars, sizes
from backend.backtests.models import Backtest, Status
from backend.engine.params import ParamError
from backend.tenancy.context import tenant_context

log = structlog.get_logger(__name__)
# Where each stage starts, as the fraction shown to the user. The simulation itself
# reports nothing until it ends, so it gets the widest slice.
STAGE_PROGRESS = {"running": 0.05, "loaded": 0.3, "signals": 0.35, "simulate": 0.45, "storing": 0.9}


class BacktestFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@shared_task(ignore_result=True, queue="backtests", soft_time_limit=max(settings.CELERY_TASK_TIME_LIMIT - 15, 1))
def run_backtest(backtest_id: int, tenant_id: int) -> None:
    with tenant_context(tenant_id):
        backtest = Backtest.objects.filter(pk=backtest_id).first()
    if backtest is None or backtest.status in (Status.SUCCEEDED, Status.FAILED):
        return  # gone, or a redelivery of a run that already finished
    # A row still "running" here is a redelivery after its worker died: run it again from scratch.
    services.mark_progress(
        backtest_id, tenant_id, STAGE_PROGRESS["running"], status=Status.RUNNING, started_at=timezone.now()
    )
    try:
        results = _run(backtest, tenant_id)
        services.mark_succeeded(backtest_id, tenant_id, results)
    except BacktestFailed as exc:
        services.mark_failed(backtest_id, tenant_id, exc.code, exc.message)
    except SoftTimeLimitExceeded:
        services.mark_failed(backtest_id, tenant_id, "time_limit", "The backtest ran past the time limit; shorten it.")
    except Exception as exc:  # whatever broke, the row must say failed, not stay running
        log.exception("backtests.run_failed", backtest_id=backtest_id)
        services.mark_failed(
            backtest_id, tenant_id, "internal_error", f"The backtest failed unexpectedly ({type(exc).__name__})."
        )
    else:
        log.info("backtests.succeeded", backtest_id=backtest_id, bars=results["bars"])


def _run(backtest: Backtest, tenant_id: int) -> dict[str, Any]:
    start_ms = int(backtest.start.timestamp() * 1000)
    end_ms = int(backtest.end.timestamp() * 1000)
    try:
        bars = load_bars(
            exchange=backtest.exchange,
            symbol=backtest.symbol,
            interval=backtest.interval,
            start_ms=start_ms,
            end_ms=end_ms,
        )
    except TooManyBars as exc:
        raise BacktestFailed("range_too_large", str(exc)) from None
    if bars.shape[0] < 2:
        raise BacktestFailed(
            "not_enough_data",
            f"{bars.shape[0]} stored {backtest.interval} klines of {backtest.exchange} {backtest.symbol} "
            "in the range; a backtest needs at least 2.",
        )
    services.mark_progress(backtest.pk, tenant_id, STAGE_PROGRESS["loaded"], bars=bars.shape[0])
    tick, lot = sizes(backtest.exchange, backtest.symbol)
    params = dict(backtest.params)
    config = runs.backtest_config(
        params=params,
        cash=backtest.cash,
        commission=backtest.commission,
        slippage_bps=backtest.slippage_bps,
        interval=backtest.interval,
        symbol=backtest.symbol,
        tick_size=tick,
        lot_size=lot,
    )

    def stage(name: str) -> None:
        services.mark_progress(backtest.pk, tenant_id, STAGE_PROGRESS[name])

    try:
        result = runs.execute(backtest.strategy, params, bars, config, stage)
    except (runs.UnknownStrategy, ParamError) as exc:  # validated on create; a registry change could still do it
        raise BacktestFailed("invalid_strategy", str(exc)) from None
    stage("storing")
    equity, drawdown = runs.equity_and_drawdown(result)
    trades = [runs.trade_row(t) for t in result.trades[: runs.TRADES_STORED]]
    return {
        "bars": int(bars.shape[0]),
        "final_equity": str(result.final_equity),
        "metrics": runs.summary(result),
        "equity_curve": equity,
        "drawdown_curve": drawdown,
        "trades": trades,
        "trades_total": len(result.trades),
        "trades_truncated": len(result.trades) > len(trades),
        "monte_carlo": runs.monte_carlo(result, cash=backtest.cash, simulations=backtest.monte_carlo_simulations)
        if backtest.monte_carlo_simulations
        else None,
    }
