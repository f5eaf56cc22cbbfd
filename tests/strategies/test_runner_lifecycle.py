"""The strategy_runner's lifecycle for real (paper_engine + strategy_runner subprocesses in their own
bus namespace): partitions each run their own deployments, a stopped deployment's position is closed,
a max-drawdown stop, and a runner killed mid-stream that rebuilds from warm-up bars in storage without
trading a bar twice."""

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

import pytest
from django.conf import settings

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from backend.engine.aggregate.klines import Kline
from backend.marketdata.services import import_klines
from backend.strategies.catalogue import sync_builtin
from backend.trading import gateway, wire
from tests.strategies.test_runner import MINUTE, deployment, fills, publish_klines, signals
from tests.tenancy.world import World
from tests.trading.conftest import db_url, wait_for
from tests.trading.test_engine_worker import open_account, price_known

pytestmark = pytest.mark.usefixtures("engine", "md_tables")
SMA = {"strategy": "sma_cross", "params": {"fast": 2, "slow": 3}}
# Bars 0-2 warm the SMAs (level: target 0, no order), bar 3 crosses up (buy).
WARM, UP = ["100.00", "100.00", "100.00"], "110.00"


class Runner:
    """One strategy_runner partition; start() again after stop()/kill9() restarts it."""

    def __init__(self, namespace: str, log_dir: Path, partition: int = 0, partitions: int = 1) -> None:
        self.namespace, self.partition, self.partitions = namespace, partition, partitions
        self.log = log_dir / f"runner-{partition}-of-{partitions}.log"
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = {**os.environ, "QT_NATS__NAMESPACE": self.namespace, "QT_DATABASE__URL": db_url()}
        name = f"runner-{self.namespace}-{self.partition}"
        args = ["--partition", str(self.partition), "--partitions", str(self.partitions), "--name", name]
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "strategy_runner", *args],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("a"), text=True,
        )  # fmt: skip

    def alive(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            raise AssertionError(f"strategy_runner exited: {self.log.read_text()[-3000:]}")
        return True

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture
def runners(namespace: str, committed_world: World, tmp_path: Path) -> Iterator[list[Runner]]:
    sync_builtin()
    made: list[Runner] = []
    yield made
    for r in made:
        r.stop()
    for r in made:
        print(r.log, r.log.read_text()[-3000:])  # shown when the test fails


def consumers(namespace: str) -> int:
    async def count() -> int:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="probe")
        try:
            info = await bus.js.stream_info(bus.subjects.stream_name("MD_KLINES"))
            return int(info.state.consumer_count)
        except Exception:  # noqa: BLE001 - the stream may not exist yet
            return 0
        finally:
            await bus.close()

    return asyncio.run(count())


def bar(i: int, t0: int, namespace: str, close: str, *, store: bool = False) -> None:
    """Bar i at the engine's price: optionally stored first (as the kline writer does), then published."""
    price_known(namespace, close)
    if store:
        c = Decimal(close)
        kline = Kline("sim", "BTC-USDT", "1m", t0 + i * MINUTE, c, c, c, c, Decimal(1), c, 1)
        import_klines([kline], interval="1m")
    publish_klines(namespace, [close], t0 + i * MINUTE)


def create(client: Any, account: int, **extra: Any) -> int:
    body = {"symbol": "BTC-USDT", "interval": "1m", "account": account, **SMA, **extra}
    response = client.post("/api/v1/deployments", body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def start_of_bars() -> int:
    return (int(time.time() * 1000) // MINUTE - 20) * MINUTE


def test_partitions_run_their_own_deployments_and_a_stopped_deployment_is_flattened(
    committed_world: World, namespace: str, runners: list[Runner], tmp_path: Path
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    accounts = [open_account(client), open_account(client)]
    deps = [create(client, a) for a in accounts]
    assert {d % 2 for d in deps} == {0, 1}  # consecutive ids: one per partition
    by_partition = {d % 2: (d, a) for d, a in zip(deps, accounts, strict=True)}
    runners.extend(Runner(namespace, tmp_path, p, 2) for p in (0, 1))
    for r in runners:
        r.start()
    wait_for(lambda: all(r.alive() for r in runners) and consumers(namespace) == 2, "two kline consumers")

    t0 = start_of_bars()
    for i, close in enumerate([*WARM, UP]):
        bar(i, t0, namespace, close)
        if i >= 2:  # both partitions decided before the price moves on
            wait_for(lambda i=i: all(len(signals(d)) == i - 1 for d in deps), f"both decisions at bar {i}")
    wait_for(lambda: all(len(fills(a)) == 1 for a in accounts), "both deployments to buy")

    # Partition 1 down: bar 4 (a cross down) is acted on by partition 0's deployment only.
    (d0, a0), (d1, a1) = by_partition[0], by_partition[1]
    assert d0 != d1
    runners[1].stop()
    bar(4, t0, namespace, "90.00")
    wait_for(lambda: len(fills(a0)) == 2, "partition 0's deployment to sell")
    assert [f.side for f in fills(a0)] == ["buy", "sell"]
    assert (len(signals(d1)), len(fills(a1))) == (2, 1)
    assert deployment(d1).position_qty > 0

    # Stopping partition 1's deployment while it holds a position: its runner closes it on start.
    held = deployment(d1).position_qty
    assert client.post(f"/api/v1/deployments/{d1}/stop").status_code == 200
    runners[1].start()
    wait_for(lambda: len(fills(a1)) == 2, "the stopped deployment's position to be closed")
    wait_for(lambda: deployment(d1).position_qty == 0, "the stopped deployment's state")
    stopped = deployment(d1)
    buy, sell = fills(a1)
    assert (sell.side, sell.qty, buy.qty) == ("sell", held, held)
    assert sell.order.client_order_id == f"dep{d1}-stop{stopped.config_version}"
    assert stopped.status == "stopped" and [s.reason for s in signals(d1)] == ["signal", "signal", "stopped"]
    # The stopped deployment did not act on bar 4 (it sold once, by the stop).
    assert all(not f.order.client_order_id.endswith(str(t0 + 4 * MINUTE)) for f in fills(a1))


def test_max_drawdown_stops_the_deployment(
    committed_world: World, namespace: str, runners: list[Runner], tmp_path: Path
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    dep = create(client, account, max_drawdown=0.01)
    runners.append(Runner(namespace, tmp_path))
    runners[0].start()
    wait_for(lambda: runners[0].alive() and consumers(namespace) == 1, "the kline consumer")
    t0 = start_of_bars()
    # Bar 4 keeps the fast SMA above the slow one (109 > 106): the strategy still wants 1, but the
    # account lost (110 - 108) x ~90 BTC, about 1.8% of 10,000: the drawdown stop sells and stops.
    for i, close in enumerate([*WARM, UP, "108.00"]):
        bar(i, t0, namespace, close)
        if i >= 2:
            wait_for(lambda i=i: len(signals(dep)) == i - 1, f"the decision at bar {i}")
    wait_for(lambda: deployment(dep).status == "stopped", "the drawdown stop")
    wait_for(lambda: len(fills(account)) == 2, "the position to be closed")
    stopped = deployment(dep)
    assert (stopped.error_code, stopped.position_qty) == ("max_drawdown", 0)
    assert [(s.reason, s.target) for s in signals(dep)] == [
        ("signal", 0.0), ("signal", 1.0), ("max_drawdown", 0.0),
    ]  # fmt: skip
    buy, sell = fills(account)
    assert (buy.side, sell.side, sell.qty, sell.price) == ("buy", "sell", buy.qty, Decimal("108.00"))
    assert stopped.peak_equity is not None and stopped.peak_equity >= Decimal(10_000) * Decimal("0.99")


def test_a_runner_killed_mid_stream_rebuilds_from_storage_and_never_trades_a_bar_twice(
    committed_world: World, namespace: str, runners: list[Runner], tmp_path: Path
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    dep = create(client, account)
    runner = Runner(namespace, tmp_path)
    runners.append(runner)
    runner.start()
    wait_for(lambda: runner.alive() and consumers(namespace) == 1, "the kline consumer")
    t0 = start_of_bars()
    for i, close in enumerate(WARM):
        bar(i, t0, namespace, close, store=True)
    wait_for(lambda: len(signals(dep)) == 1, "the first decision (flat)")

    # The runner dies in the middle of bar 3: its buy reached the engine, nothing else happened
    # (no state saved, the kline not acked); the kline writer stored the bar meanwhile.
    runner.kill9()
    cid = f"dep{dep}-{t0 + 3 * MINUTE}"
    price_known(namespace, UP)
    first = gateway.send(
        wire.Submit(account=account, symbol="BTC-USDT", side="buy", qty=Decimal("5"), type="market",
                    client_order_id=cid),
        account_id=account,
    )  # fmt: skip
    assert first.ok and first.order is not None and first.order["status"] == "filled"
    bar(3, t0, namespace, UP, store=True)  # delivered again once the runner is back

    runner.start()
    wait_for(lambda: len(signals(dep)) == 2, "bar 3 decided again after the restart")
    wait_for(lambda: deployment(dep).position_qty == 5, "the first attempt's fill taken as the position")
    redecided = signals(dep)[1]
    assert (redecided.bar_open_ms, redecided.target) == (t0 + 3 * MINUTE, 1.0)
    assert redecided.orders[0]["client_order_id"] == cid and redecided.orders[0]["id"] == first.order["id"]
    assert [f.order.client_order_id for f in fills(account)] == [cid]  # the bar traded once

    # Killed again with nothing in flight: the warm-up rebuilds the SMAs, bar 4 sells what bar 3 bought.
    runner.kill9()
    runner.start()
    bar(4, t0, namespace, "90.00", store=True)
    wait_for(lambda: len(fills(account)) == 2, "the sell")
    buy, sell = fills(account)
    assert (buy.qty, sell.side, sell.qty) == (Decimal(5), "sell", Decimal(5))
    assert sell.order.client_order_id == f"dep{dep}-{t0 + 4 * MINUTE}"
    assert [(s.bar_open_ms - t0, s.target) for s in signals(dep)] == [
        (2 * MINUTE, 0.0), (3 * MINUTE, 1.0), (4 * MINUTE, 0.0),
    ]  # fmt: skip
    assert deployment(dep).position_qty == 0
