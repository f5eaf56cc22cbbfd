"""Fixtures for the trading tests: a world on a roomy tier, a bus namespace of its own,
a real `paper_engine` subprocess, trade publishing and a NATS listener."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from backend.engine.market.codec import encode_trades
from backend.engine.market.trade import Side, Trade
from backend.tenancy.models import Tenant, Tier
from backend.trading import gateway, wire
from tests.tenancy.world import World, build_world

WAIT_S = 30.0
_trade_ids = itertools.count(int(time.time() * 1000) * 1000)


def roomy(world: World, paper_accounts: int = 20) -> World:
    tier, _ = Tier.objects.update_or_create(
        code="trading-tests",
        defaults={
            "name": "Trading tests",
            "requests_per_minute": 1_000_000,
            "requests_per_day": 1_000_000_000,
            **dict.fromkeys(Tier.QUOTA_FIELDS, 1000),
            "paper_accounts": paper_accounts,
        },
    )
    Tenant.objects.filter(pk__in=[world.tenant.pk, world.other.pk]).update(tier=tier)
    return world


@pytest.fixture
def world(db: None) -> World:
    return roomy(build_world())


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    """For tests whose other party (the engine) is another process: committed rows."""
    return roomy(build_world())


@pytest.fixture
def namespace(settings: Any) -> Iterator[str]:
    """A bus namespace of its own; the API's engine link uses it too."""
    name = f"trd{uuid.uuid4().hex[:8]}"
    settings.QT_NATS = settings.QT_NATS.model_copy(update={"namespace": name})
    yield name

    async def drop() -> None:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=name), name="cleanup")
        for stream in await bus.js.streams_info():
            if stream.config.name and stream.config.name.startswith(f"{name}_"):
                await bus.js.delete_stream(stream.config.name)
        await bus.close()

    asyncio.run(drop())


def db_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class EngineProcess:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "QT_NATS__NAMESPACE": self.namespace,
            "QT_DATABASE__URL": db_url(),  # the worker writes where the test reads
            "QT_TRADING__EQUITY_SAMPLE_INTERVAL_S": "0.5",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "paper_engine", "--name", f"paper-engine-{self.namespace}"],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + WAIT_S
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"paper_engine exited {self.proc.returncode}: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            try:
                if gateway.send(wire.Ping()).ok:
                    return
            except gateway.EngineUnavailable:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("paper_engine did not answer a ping")
            time.sleep(0.1)

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
def engine(namespace: str, committed_world: World) -> Iterator[EngineProcess]:
    process = EngineProcess(namespace)
    process.start()
    yield process
    process.stop()


def publish_trades(namespace: str, symbol: str, prints: list[tuple[str, str]], side: Side = Side.SELL) -> list[Trade]:
    """Publish prints [(price, qty), ...] as one batch on the sim exchange; returns the trades."""
    now = int(time.time() * 1000)
    trades = [
        Trade("sim", symbol, next(_trade_ids), now, Decimal(price), Decimal(qty), side, now) for price, qty in prints
    ]
    republish([trades], namespace)
    return trades


def republish(batches: list[list[Trade]], namespace: str) -> None:
    async def run() -> None:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="publisher")
        await bus.ensure_streams()
        for trades in batches:
            await bus.publish(bus.subjects.trade("sim", trades[0].symbol), encode_trades(trades))
        await bus.close()

    asyncio.run(run())


class Listener:
    """Collects the engine's published events (core NATS) on a background loop."""

    def __init__(self, namespace: str, subject: str = "trading.>") -> None:
        self.subject = f"{namespace}.{subject}"
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()

        async def subscribe() -> None:
            self.bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url), name="listener")

            async def on(msg: Any) -> None:
                self.messages.append((msg.subject, json.loads(msg.data)))

            await self.bus.nc.subscribe(self.subject, cb=on)
            await self.bus.nc.flush()

        asyncio.run_coroutine_threadsafe(subscribe(), self.loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.bus.close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [body for subject, body in list(self.messages) if f".trading.{kind}." in subject]


def wait_for(condition: Callable[[], Any], what: str, timeout_s: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
