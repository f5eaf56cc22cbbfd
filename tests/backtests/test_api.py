"""Backtests API: queue -> run (Celery, eager) -> results; validation, quota, roles, isolation."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import nats
import numpy as np
import pytest
from django.utils import timezone

from backend.backtests.models import Backtest, Status
from backend.backtests.tasks import run_backtest
from backend.bus.subjects import Subjects
from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.robustness import bootstrap_trades
from backend.engine.backtest.runner import run_backtest as engine_run
from backend.engine.strategies import build
from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.slippage import FixedBps
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tier
from tests.backtests.data import EXCHANGE, SYMBOL, import_klines, random_bars, recent_t0
from tests.tenancy.world import World

N = 2_000
URL = "/api/v1/backtests"


@pytest.fixture
def bars(md_tables: None, tmp_path: Path) -> np.ndarray:
    data = random_bars(N, t0=recent_t0())
    import_klines(tmp_path, data)
    return data


def body(bars: np.ndarray, **changes: Any) -> dict[str, Any]:
    return {
        "strategy": "sma_cross",
        "params": {"fast": 10, "slow": 20},
        "exchange": EXCHANGE,
        "symbol": SYMBOL,
        "interval": "1m",
        "start": int(bars[0, 0]),
        "end": int(bars[-1, 0]),
        "cash": "10000",
        "commission": "0.001",
        "slippage_bps": "1",
        **changes,
    }


def create(client: Any, payload: dict[str, Any], capture: Any) -> Any:
    with capture(execute=True):  # the task is queued on commit; eager mode runs it right there
        return client.post(URL, payload, format="json")


def test_create_runs_the_task_and_the_detail_has_the_results(
    world: World, bars: np.ndarray, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for_key(world.admin_key)
    response = create(client, body(bars), django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    queued = response.json()
    assert queued["status"] == "queued" and queued["progress"] == 0
    assert queued["params"] == {"fast": 10, "slow": 20, "allow_short": 0}

    detail = client.get(f"{URL}/{queued['id']}").json()
    assert detail["status"] == "succeeded", detail["error"]
    assert detail["progress"] == 1 and detail["error"] is None and detail["bars"] == N

    config = BacktestConfig(
        cash=Decimal(10_000),
        fees=FeeSchedule(Decimal("0.001"), Decimal("0.001")),
        slippage=FixedBps(Decimal(1)),
        periods_per_year=525_600.0,
    )
    direct = engine_run(build("sma_cross", {"fast": 10, "slow": 20}), bars, config)
    assert direct.metrics is not None
    assert {k: detail["metrics"][k] for k in direct.metrics.as_dict()} == direct.metrics.as_dict()
    assert detail["final_equity"] == str(direct.final_equity)
    assert detail["trades_total"] == len(direct.trades) == len(detail["trades"]) and not detail["trades_truncated"]
    assert 3 <= len(detail["equity_curve"]) <= 1000 and len(detail["drawdown_curve"]) == len(detail["equity_curve"])
    assert detail["equity_curve"][0] == [int(bars[0, 0]), 10_000.0]
    assert detail["equity_curve"][-1] == [int(bars[-1, 0]), float(direct.equity[-1])]

    listed = client.get(URL).json()
    assert [item["id"] for item in listed] == [queued["id"]]
    assert "metrics" not in listed[0] and "trades" not in listed[0]


def test_monte_carlo_distribution_is_stored_with_the_results(
    world: World, bars: np.ndarray, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for_key(world.admin_key)
    response = create(client, body(bars, monte_carlo_simulations=500), django_capture_on_commit_callbacks)
    detail = client.get(f"{URL}/{response.json()['id']}").json()
    assert detail["status"] == "succeeded" and detail["monte_carlo_simulations"] == 500
    config = BacktestConfig(
        cash=Decimal(10_000),
        fees=FeeSchedule(Decimal("0.001"), Decimal("0.001")),
        slippage=FixedBps(Decimal(1)),
        periods_per_year=525_600.0,
    )
    direct = engine_run(build("sma_cross", {"fast": 10, "slow": 20}), bars, config)
    returns = [float(t.return_fraction) for t in direct.trades]
    boot = bootstrap_trades(returns, initial_equity=10_000.0, simulations=500, rng=0)
    mc = detail["monte_carlo"]
    assert mc["simulations"] == 500 and mc["trades_per_path"] == len(direct.trades)
    assert mc["final_equity"] == {str(k): v for k, v in boot.final_equity_percentiles().items()}
    assert mc["probability_of_loss"] == boot.probability_of_loss(10_000.0)
    for key in ("final_equity_histogram", "max_drawdown_histogram"):
        histogram = mc[key]
        assert sum(histogram["counts"]) == 500 and len(histogram["edges"]) == len(histogram["counts"]) + 1
    assert mc["final_equity_histogram"]["edges"][0] == float(boot.final_equity.min())
    assert mc["final_equity_histogram"]["edges"][-1] == float(boot.final_equity.max())

    skipped = create(client, body(bars, monte_carlo_simulations=0), django_capture_on_commit_callbacks)
    assert client.get(f"{URL}/{skipped.json()['id']}").json()["monte_carlo"] is None


def test_progress_is_announced_on_the_bus_for_the_push_gateway(
    world: World, bars: np.ndarray, eager: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    subject = Subjects(settings.QT_NATS.namespace).backtest_progress(world.tenant.pk, 0).rsplit(".", 1)[0] + ".*"
    heard: list[dict[str, Any]] = []
    ready, done = threading.Event(), threading.Event()

    async def listen() -> None:
        nc = await nats.connect(settings.QT_NATS.url)

        async def on_message(msg: Any) -> None:
            heard.append(json.loads(msg.data))
            if heard[-1]["status"] in ("succeeded", "failed"):
                done.set()

        await nc.subscribe(subject, cb=on_message)
        await nc.flush()
        ready.set()
        while not done.is_set():
            await asyncio.sleep(0.02)
        await nc.close()

    listener = threading.Thread(target=lambda: asyncio.run(listen()), daemon=True)
    listener.start()
    assert ready.wait(10)
    response = create(world.client_for_key(world.admin_key), body(bars), django_capture_on_commit_callbacks)
    assert done.wait(10), heard
    backtest_id = response.json()["id"]
    assert {m["id"] for m in heard} == {backtest_id}
    assert heard[0]["status"] == "running" and heard[-1] == {"id": backtest_id, "status": "succeeded", "progress": 1.0}
    progress = [m["progress"] for m in heard]
    assert progress == sorted(progress)


def test_the_list_is_newest_first_and_paginated(world: World, bars: np.ndarray) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    ids = [client.post(URL, body(bars), format="json").json()["id"] for _ in range(3)]
    first = client.get(URL, {"limit": 2})
    assert [item["id"] for item in first.json()] == ids[::-1][:2]
    link = first["Link"]
    assert 'rel="next"' in link and f"before={ids[1]}" in link
    second = client.get(URL, {"limit": 2, "before": ids[1]})
    assert [item["id"] for item in second.json()] == [ids[0]]
    assert "Link" not in second


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"strategy": "nope"}, 400, "unknown_strategy"),
        ({"params": {"fast": 50, "slow": 20}}, 400, "invalid_param"),
        ({"params": {"fast": 1}}, 400, "param_out_of_range"),
        ({"params": {"speed": 3}}, 400, "unknown_param"),
        ({"interval": "7m"}, 400, "unknown_interval"),
        ({"exchange": "nowhere"}, 400, "unknown_exchange"),
        ({"symbol": "DOGE-EUR"}, 400, "unknown_symbol"),
        ({"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}, 400, "invalid_range"),
        ({"cash": "-1"}, 400, "invalid_input"),
        ({"commission": "0.5"}, 400, "invalid_input"),
        ({"start": "yesterday"}, 400, "invalid_input"),
        ({"monte_carlo_simulations": 10_001}, 400, "invalid_input"),
        ({"monte_carlo_simulations": -1}, 400, "invalid_input"),
        ({"start": 0, "end": 86_400_000}, 403, "history_depth_exceeded"),
        ({"interval": "1s"}, 400, "range_too_large"),
    ],
)
def test_bad_requests_name_the_reason(
    world: World, bars: np.ndarray, changes: dict[str, Any], status: int, code: str
) -> None:
    payload = body(bars, **changes)
    if code == "range_too_large":  # more than a million one-second bars
        payload["start"] = payload["end"] - 1_000_001 * 1000
    response = world.client_for_key(world.admin_key).post(URL, payload, format="json")
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    if code == "invalid_param":
        assert response.json()["error"]["detail"] == {"param": "fast"}
    with tenant_context(world.tenant.pk):
        assert not Backtest.objects.exists()


def test_a_range_without_klines_is_refused(world: World, bars: np.ndarray) -> None:
    end = int(bars[0, 0]) - 60_000
    response = world.client_for_key(world.admin_key).post(
        URL, body(bars, start=end - 3_600_000, end=end), format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_data"


def test_the_daily_quota(world: World, bars: np.ndarray) -> None:
    Tier.objects.filter(tenants=world.tenant).update(backtests_per_day=2)
    client = world.client_for_key(world.admin_key)
    assert [client.post(URL, body(bars), format="json").status_code for _ in range(2)] == [202, 202]
    refused = client.post(URL, body(bars), format="json")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "quota_exceeded" and error["detail"]["quota"] == "backtests_per_day"
    # Only the last 24 hours count.
    with tenant_context(world.tenant.pk):
        Backtest.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    assert client.post(URL, body(bars), format="json").status_code == 202
    # Another tenant's quota is its own.
    assert world.client_for_key(world.other_key).post(URL, body(bars), format="json").status_code == 202


def test_viewers_and_read_keys_cannot_create_but_can_read(world: World, bars: np.ndarray) -> None:
    created = world.client_for_key(world.admin_key).post(URL, body(bars), format="json").json()
    viewer = world.client_for_user(world.teammate, world.tenant)
    read_key = world.client_for_key(world.read_key)
    assert viewer.post(URL, body(bars), format="json").json()["error"]["code"] == "role_required"
    assert read_key.post(URL, body(bars), format="json").json()["error"]["code"] == "insufficient_scope"
    for client in (viewer, read_key):
        assert client.get(f"{URL}/{created['id']}").status_code == 200
        assert [b["id"] for b in client.get(URL).json()] == [created["id"]]


def test_another_tenant_gets_404(world: World, bars: np.ndarray) -> None:
    created = world.client_for_key(world.admin_key).post(URL, body(bars), format="json").json()
    stranger = world.client_for_key(world.other_key)
    foreign = stranger.get(f"{URL}/{created['id']}")
    assert foreign.status_code == 404 and foreign.json() == stranger.get(f"{URL}/999999999").json()
    assert stranger.get(URL).json() == []


def _queued(world: World, bars: np.ndarray, **fields: Any) -> Backtest:
    values: dict[str, Any] = {
        "tenant": world.tenant,
        "strategy": "sma_cross",
        "params": {"fast": 10, "slow": 20, "allow_short": 0},
        "exchange": EXCHANGE,
        "symbol": SYMBOL,
        "interval": "1m",
        "start": datetime.fromtimestamp(bars[0, 0] / 1000, tz=UTC),
        "end": datetime.fromtimestamp(bars[-1, 0] / 1000, tz=UTC),
        "cash": Decimal(10_000),
        "commission": Decimal("0.001"),
        "slippage_bps": Decimal(0),
        **fields,
    }
    with tenant_context(world.tenant.pk):
        return Backtest.objects.create(**values)  # type: ignore[no-any-return]


def _reload(world: World, pk: int) -> Backtest:
    with tenant_context(world.tenant.pk):
        return Backtest.objects.get(pk=pk)  # type: ignore[no-any-return]


def test_a_failed_run_stores_a_clear_error_and_no_results(world: World, bars: np.ndarray) -> None:
    # The klines vanished between create and run (e.g. retention): a clear error, no results.
    empty = _queued(world, bars, start=datetime(2020, 1, 1, tzinfo=UTC))
    empty.end = datetime(2020, 1, 2, tzinfo=UTC)
    with tenant_context(world.tenant.pk):
        empty.save()
    run_backtest(empty.pk, world.tenant.pk)
    row = _reload(world, empty.pk)
    assert (row.status, row.error_code) == (Status.FAILED, "not_enough_data")
    assert "at least 2" in row.error_message and row.finished_at is not None
    assert row.metrics is None and row.trades is None and row.equity_curve is None

    # A strategy the registry no longer accepts.
    broken = _queued(world, bars, params={"fast": 50, "slow": 20})
    run_backtest(broken.pk, world.tenant.pk)
    row = _reload(world, broken.pk)
    assert (row.status, row.error_code, row.metrics) == (Status.FAILED, "invalid_strategy", None)


def test_a_finished_run_is_not_run_again(world: World, bars: np.ndarray) -> None:
    done = _queued(world, bars)
    run_backtest(done.pk, world.tenant.pk)
    first = _reload(world, done.pk)
    assert first.status == Status.SUCCEEDED
    run_backtest(done.pk, world.tenant.pk)  # a redelivered message
    assert _reload(world, done.pk).finished_at == first.finished_at


def test_trades_are_capped(world: World, bars: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("backend.backtests.runs.TRADES_STORED", 3)
    capped = _queued(world, bars)
    run_backtest(capped.pk, world.tenant.pk)
    row = _reload(world, capped.pk)
    assert len(row.trades) == 3 and row.trades_truncated and row.trades_total > 3


def test_reference_strategies(world: World) -> None:
    response = world.client_for_key(world.read_key).get("/api/v1/strategies/reference")
    assert response.status_code == 200
    by_name = {s["name"]: s for s in response.json()}
    assert {"sma_cross", "momentum", "mean_reversion", "rsi", "macd", "bollinger_breakout"} <= set(by_name)
    fast = next(p for p in by_name["sma_cross"]["params"] if p["name"] == "fast")
    assert (fast["default"], fast["min"], fast["max"], fast["type"]) == (10, 2, 500, "int")
    assert by_name["sma_cross"]["description"]
