"""The strategy_runner for real: paper_engine + strategy_runner subprocesses in their own bus namespace,
closed klines on JetStream, orders and fills in the paper account, signals recorded; a hostile module
deployed beside a good one ends errored with its code while the good one keeps trading."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.conf import settings

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from backend.marketdata.aggregator import KlineMessage
from backend.strategies.catalogue import sync_builtin
from backend.strategies.models import Deployment, Signal
from backend.tenancy.context import dangerously_bypass_rls
from backend.trading.models import Fill
from tests.engine.sandbox.wat import PLAIN_MANIFEST, module, on_bars_body
from tests.strategies.factories import make_strategy_module
from tests.tenancy.world import World
from tests.trading.conftest import Listener, db_url, wait_for
from tests.trading.test_engine_worker import open_account, price_known

pytestmark = pytest.mark.usefixtures("engine")
MINUTE = 60_000
TRAP = module(on_bars=on_bars_body("unreachable"))


class RunnerProcess:
    def __init__(self, namespace: str, log: Path) -> None:
        self.log = log
        env = {**os.environ, "QT_NATS__NAMESPACE": namespace, "QT_DATABASE__URL": db_url()}
        self.namespace = namespace
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "strategy_runner", "--name", f"runner-{namespace}"],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True,
        )  # fmt: skip

    def wait_consuming(self) -> None:
        """The runner loads its deployments before it creates its consumer, so this means ready."""

        async def consumers() -> int:
            bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=self.namespace), name="probe")
            try:
                info = await bus.js.stream_info(bus.subjects.stream_name("MD_KLINES"))
                return int(info.state.consumer_count)
            except Exception:  # noqa: BLE001 - the stream may not exist yet
                return 0
            finally:
                await bus.close()

        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"strategy_runner exited {self.proc.returncode}: {self.log.read_text()}")
            return asyncio.run(consumers()) > 0

        wait_for(ready, "the runner's kline consumer")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture
def runner(namespace: str, committed_world: World, tmp_path: Path) -> Iterator[RunnerProcess]:
    sync_builtin()
    process = RunnerProcess(namespace, tmp_path / "runner.log")
    yield process
    process.stop()
    print(process.log.read_text()[-5000:])  # shown when the test fails


def publish_klines(namespace: str, closes: list[str], t0: int, *, revision_at: int | None = None) -> None:
    async def run() -> None:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="kline-publisher")
        await bus.ensure_streams()
        for i, close in enumerate(closes):
            k = KlineMessage("sim", "BTC-USDT", "1m", t0 + i * MINUTE, t0 + (i + 1) * MINUTE - 1, close, close, close,
                             close, "1", close, 1, True, i == revision_at)  # fmt: skip
            await bus.publish(bus.subjects.kline("1m", "sim", "BTC-USDT"), msgspec.json.encode(k))
        await bus.close()

    asyncio.run(run())


def deployment(pk: int) -> Deployment:
    with dangerously_bypass_rls():
        return Deployment.unscoped.get(pk=pk)  # type: ignore[no-any-return]


def signals(pk: int) -> list[Signal]:
    with dangerously_bypass_rls():
        return list(Signal.unscoped.filter(deployment_id=pk).order_by("bar_open_ms"))


def fills(account: int) -> list[Fill]:
    with dangerously_bypass_rls():
        return list(Fill.unscoped.filter(account_id=account).select_related("order").order_by("ts_ms", "pk"))


def test_closed_klines_trade_the_account_and_a_hostile_neighbour_fails_alone(
    committed_world: World, namespace: str, runner: RunnerProcess
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    hostile_module = make_strategy_module(committed_world.tenant, TRAP, PLAIN_MANIFEST)
    body: dict[str, Any] = {"symbol": "BTC-USDT", "interval": "1m", "account": account}
    good = client.post(
        "/api/v1/deployments", {**body, "strategy": "sma_cross", "params": {"fast": 2, "slow": 3}}, format="json"
    ).json()["id"]
    hostile = client.post("/api/v1/deployments", {**body, "module": hostile_module.pk}, format="json").json()["id"]
    runner.wait_consuming()
    try:
        t0 = (int(time.time() * 1000) // MINUTE - 20) * MINUTE
        with Listener(namespace, "strategy.>") as events:
            # Bars 1-3 warm the SMAs (flat), bar 4 crosses up (buy), bar 5 brings them level (sell), bar 6 stays flat.
            closes = ["100.00", "100.00", "100.00", "110.00", "90.00", "80.00"]
            for i, close in enumerate(closes):
                price_known(namespace, close)  # the engine fills market orders at the last trade
                publish_klines(namespace, [close], t0 + i * MINUTE)
                if i in (2, 3, 4):  # the decisions: the next price must not move before the order went out
                    wait_for(lambda i=i: len(signals(good)) == i - 1, f"the decision at bar {i}")
            wait_for(lambda: len(fills(account)) == 2, "the buy and the sell to fill")
            # A revision of a bar already acted on changes nothing.
            publish_klines(namespace, ["500.00"], t0 + 5 * MINUTE, revision_at=0)

            def errors() -> list[dict[str, Any]]:
                return [body for subject, body in list(events.messages) if ".strategy.error." in subject]

            wait_for(errors, "the error event")
            published = errors()
        assert [(e["deployment"], e["code"]) for e in published] == [(hostile, "trap")]
    finally:
        runner.stop()

    broken = client.get(f"/api/v1/deployments/{hostile}").json()
    assert (broken["status"], broken["error"]["code"]) == ("errored", "trap")

    decided = signals(good)
    assert [(s.bar_open_ms - t0, s.target, s.reason) for s in decided] == [
        (2 * MINUTE, 0.0, "signal"), (3 * MINUTE, 1.0, "signal"), (4 * MINUTE, 0.0, "signal"),
    ]  # fmt: skip
    buy, sell = fills(account)
    assert (buy.side, buy.price, sell.side, sell.price) == ("buy", Decimal("110.00"), "sell", Decimal("90.00"))
    assert buy.qty == sell.qty > 0
    assert buy.order.client_order_id == f"dep{good}-{t0 + 3 * MINUTE}"
    assert decided[1].orders[0]["status"] == "filled" and Decimal(decided[1].qty) == buy.qty
    state = client.get(f"/api/v1/deployments/{good}").json()
    assert (state["status"], state["error"], Decimal(state["position_qty"]), state["target_exposure"]) == (
        "running", None, 0, 0.0,
    )  # fmt: skip
    perf = client.get(f"/api/v1/deployments/{good}/performance").json()
    assert [t["side"] for t in perf["trades"]] == ["buy", "sell"]
    api_signals = client.get(f"/api/v1/deployments/{good}/signals").json()
    assert [s["target"] for s in api_signals] == [0.0, 1.0, 0.0]
