"""The push gateway against a real uvicorn server, real Redis and NATS, with the websockets client."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import string
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import nats
import pytest
import websockets
from channels.db import database_sync_to_async
from django.conf import settings

from backend.conf.loader import REPO_ROOT
from backend.tenancy.context import tenant_context
from backend.trading.models import Position
from tests.tenancy.world import World, build_world
from tests.trading.conftest import db_url, roomy
from tests.trading.factories import make_paper_account

ORIGIN = "http://localhost"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def world(transactional_db: None) -> World:
    return roomy(build_world())


def _serve(ws_impl: str) -> Iterator[tuple[str, str]]:
    port, ns = _free_port(), f"ws{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "QT_DATABASE__URL": db_url(),
        "QT_REDIS__URL": settings.CONFIG.redis.url,
        "QT_NATS__NAMESPACE": ns,
        "QT_PUSH__SEND_QUEUE_SIZE": "20",
        "QT_PUSH__MAX_FRAME_BYTES": "4096",
        "QT_LOGGING__LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--port", str(port), "--ws", ws_impl],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"ws://localhost:{port}/ws/v1", ns
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def server(world: World) -> Iterator[tuple[str, str]]:
    yield from _serve("websockets")


@pytest.fixture(params=["websockets", "websockets-sansio"])
def any_server(world: World, request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """Both of uvicorn's websockets implementations (`auto` picks websockets-sansio)."""
    yield from _serve(request.param)


async def recv_type(ws: Any, kind: str, timeout: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            msg = json.loads(await ws.recv())
            if msg["type"] == kind:
                return msg  # type: ignore[no-any-return]


def kline(close: str) -> bytes:
    return json.dumps(
        {
            "exchange": "sim",
            "symbol": "BTC-USDT",
            "interval": "1m",
            "open_time": 0,
            "close_time": 59999,
            "open": "1",
            "high": "1",
            "low": "1",
            "close": close,
            "volume": "1",
            "quote_volume": "1",
            "trades": 1,
            "closed": False,
            "revision": False,
        }
    ).encode()


async def test_subscribe_receive_isolation_and_bad_input(world: World, server: tuple[str, str]) -> None:
    url, ns = server
    nc = await nats.connect(settings.QT_NATS.url)
    async with (
        websockets.connect(f"{url}?api_key={world.admin_key}", origin=ORIGIN) as alice,
        websockets.connect(url, origin=ORIGIN) as bob,
    ):
        assert (await recv_type(alice, "welcome"))["tenant"] == world.tenant.pk
        await bob.send(json.dumps({"type": "auth", "api_key": world.other_key}))
        assert (await recv_type(bob, "welcome"))["tenant"] == world.other.pk
        for ws in (alice, bob):
            await ws.send(
                json.dumps(
                    {
                        "type": "subscribe",
                        "channel": "klines",
                        "exchange": "sim",
                        "symbol": "BTC-USDT",
                        "interval": "1m",
                    }
                )
            )
            await ws.send(json.dumps({"type": "subscribe", "channel": "fills"}))
            await recv_type(ws, "subscribed")
            await recv_type(ws, "subscribed")
        await asyncio.sleep(0.3)  # the hub's NATS subscriptions reach the server
        await nc.publish(f"{ns}.md.kline.1m.sim.BTC-USDT", kline("123.5"))
        # Alice's fill is published on her tenant's subject; Bob must never see it.
        await nc.publish(f"{ns}.trading.fill.{world.tenant.pk}.1", json.dumps({"account": 1, "price": "5"}).encode())
        await nc.publish(f"{ns}.trading.fill.{world.other.pk}.2", json.dumps({"account": 2, "price": "6"}).encode())
        await nc.flush()
        got_alice = [await recv_type(alice, "update") for _ in range(2)]
        got_bob = [await recv_type(bob, "update") for _ in range(2)]
        assert {m["channel"] for m in got_alice} == {"klines:sim:BTC-USDT:1m", "fills"}
        assert [m["data"] for m in got_alice if m["channel"] == "fills"] == [{"account": 1, "price": "5"}]
        assert [m["data"] for m in got_bob if m["channel"] == "fills"] == [{"account": 2, "price": "6"}]
        assert [m["data"]["close"] for m in got_alice if m["channel"].startswith("klines")] == ["123.5"]

        # Malformed input: an error frame, and the connection stays open.
        await alice.send("{not json")
        assert (await recv_type(alice, "error"))["code"] == "malformed_message"
        await alice.send(
            json.dumps(
                {"type": "subscribe", "channel": "klines", "exchange": "sim", "symbol": "BTC-USDT", "interval": "7m"}
            )
        )
        assert (await recv_type(alice, "error"))["code"] == "unknown_interval"
        await alice.send(json.dumps({"type": "subscribe", "channel": "nope"}))
        assert (await recv_type(alice, "error"))["code"] == "unknown_channel"
        await alice.send(json.dumps({"type": "ping", "id": 7}))
        assert (await recv_type(alice, "pong"))["id"] == 7
        # Oversized frame: closed with 1009.
        await alice.send(json.dumps({"type": "ping", "pad": "x" * 10_000}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await recv_type(alice, "never")
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    await nc.close()


async def test_private_channels_need_auth_and_bad_keys_are_refused(world: World, server: tuple[str, str]) -> None:
    url, _ = server
    async with websockets.connect(url, origin=ORIGIN) as anon:
        await anon.send(json.dumps({"type": "subscribe", "channel": "orders"}))
        assert (await recv_type(anon, "error"))["code"] == "not_authenticated"
    async with websockets.connect(f"{url}?api_key=qt_live_aaaaaaaaaaaa_{'b' * 43}", origin=ORIGIN) as bad:
        assert (await recv_type(bad, "error"))["code"] == "api_key_invalid"


async def test_a_slow_client_is_dropped_and_others_keep_receiving(world: World, any_server: tuple[str, str]) -> None:
    url, ns = any_server
    nc = await nats.connect(settings.QT_NATS.url)
    sub = {"type": "subscribe", "channel": "klines", "exchange": "sim", "symbol": "BTC-USDT", "interval": "1m"}
    # Incompressible (permessage-deflate is on): what a slow reader leaves unread must really pile up.
    big = kline("1" + "".join(random.choice(string.digits) for _ in range(60_000)))
    async with (
        websockets.connect(f"{url}?api_key={world.admin_key}", origin=ORIGIN, max_queue=1, max_size=2**20) as slow,
        websockets.connect(f"{url}?api_key={world.admin_key}", origin=ORIGIN, max_size=2**20) as fast,
    ):
        for ws in (slow, fast):
            await recv_type(ws, "welcome")
            await ws.send(json.dumps(sub))
            await recv_type(ws, "subscribed")
        await asyncio.sleep(0.3)
        received = 0

        async def read_fast() -> None:
            nonlocal received
            while received < 800:
                if json.loads(await fast.recv())["type"] == "update":
                    received += 1

        reader = asyncio.create_task(read_fast())
        for _ in range(800):
            await nc.publish(f"{ns}.md.kline.1m.sim.BTC-USDT", big)
            await asyncio.sleep(0.002)
        await nc.flush()
        async with asyncio.timeout(60):
            await reader
        assert received == 800
        # The slow one (not reading) was dropped: reading now ends in its close.
        with pytest.raises(websockets.ConnectionClosed) as closed:
            async with asyncio.timeout(30):
                while True:
                    await slow.recv()
        assert closed.value.rcvd is None or closed.value.rcvd.code == 4008
    await nc.close()


def _position(world_tenant: Any, symbol: str, qty: str, avg: str | None) -> int:
    account = make_paper_account(world_tenant)
    with tenant_context(world_tenant.pk):
        Position.objects.create(
            tenant=world_tenant,
            account=account,
            symbol=symbol,
            qty=Decimal(qty),
            avg_entry=None if avg is None else Decimal(avg),
            realized_pnl=Decimal("-21"),
            fees=Decimal("0.5"),
        )
    return int(account.pk)


async def test_positions_snapshot_on_subscribe_then_deltas_own_tenant_only(
    world: World, server: tuple[str, str]
) -> None:
    url, ns = server
    mine = await database_sync_to_async(_position)(world.tenant, "BTC-USDT", "0.02", "60000.00")
    await database_sync_to_async(_position)(world.other, "ETH-USDT", "3", "2000")
    nc = await nats.connect(settings.QT_NATS.url)
    async with websockets.connect(f"{url}?api_key={world.admin_key}", origin=ORIGIN) as ws:
        await recv_type(ws, "welcome")
        await ws.send(json.dumps({"type": "subscribe", "channel": "positions"}))
        await recv_type(ws, "subscribed")
        snapshot = await recv_type(ws, "snapshot")
        assert snapshot["channel"] == "positions"
        assert snapshot["data"] == [
            {
                "account": mine,
                "symbol": "BTC-USDT",
                "qty": "0.02",
                "avg_entry": "60000.00",
                "realized_pnl": "-21",
                "fees": "0.5",
            }
        ]
        delta = {"account": mine, "symbol": "BTC-USDT", "qty": "0", "avg_entry": None}
        await nc.publish(f"{ns}.trading.position.{world.tenant.pk}.{mine}", json.dumps(delta).encode())
        await nc.flush()
        assert (await recv_type(ws, "update"))["data"] == delta
    async with websockets.connect(f"{url}?api_key={world.other_key}", origin=ORIGIN) as other:
        await recv_type(other, "welcome")
        await other.send(json.dumps({"type": "subscribe", "channel": "positions"}))
        assert [p["symbol"] for p in (await recv_type(other, "snapshot"))["data"]] == ["ETH-USDT"]
    await nc.close()
