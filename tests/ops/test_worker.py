"""The worker runtime, exercised through the real `ingest` worker in a subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
import redis
from django.conf import settings

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from backend.engine.market.codec import decode_trades
from backend.ops import heartbeat


def start_ingest(*extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--exchange", "sim", "--name", "ingest-test", *extra],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def ingest(redis_client: redis.Redis) -> Iterator[subprocess.Popen[str]]:
    proc = start_ingest("--symbols", "BTC-USDT,ETH-USDT")
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def wait_until(predicate, timeout_s: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_ingest_worker_beats_publishes_trades_and_stops_cleanly(
    ingest: subprocess.Popen[str], redis_client: redis.Redis
) -> None:
    assert wait_until(lambda: redis_client.get(heartbeat.key_for("ingest-test")) is not None, 30), (
        ingest.stderr.read() if ingest.poll() is not None else "no heartbeat"  # type: ignore[union-attr]
    )

    async def read_trades() -> list[str]:
        bus = await Bus.connect(BusSettings.from_config(settings.QT_NATS), name="t")
        try:
            stream = bus.subjects.stream_name("MD_TRADES")
            sub = await bus.js.subscribe(bus.subjects.trade("sim", "BTC-USDT"), stream=stream, ordered_consumer=True)
            msg = await sub.next_msg(timeout=10)
            return sorted({t.symbol for t in decode_trades(msg.data)})
        finally:
            await bus.close()

    symbols = asyncio.run(read_trades())
    assert symbols == ["BTC-USDT"]
    ingest.send_signal(signal.SIGTERM)
    assert ingest.wait(timeout=20) == 0


def test_worker_with_nats_down_names_it_and_exits_without_traceback() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = start_ingest(env={"QT_NATS__URL": f"nats://127.0.0.1:{port}", "QT_NATS__CONNECT_TIMEOUT_S": "0.3"})
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert f"NATS at nats://127.0.0.1:{port} is not reachable" in err
    assert "Traceback" not in err


def test_worker_with_redis_down_names_it_and_exits_without_traceback() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = start_ingest(env={"QT_REDIS__URL": f"redis://127.0.0.1:{port}/0"})
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert f"Redis at redis://127.0.0.1:{port}/" in err and "is not reachable" in err
    assert "Traceback" not in err


def test_unknown_exchange_is_a_clear_command_error() -> None:
    proc = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--exchange", "nasdaq"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "unknown exchange 'nasdaq'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ingest_worker_streams_an_exchange_connector_onto_the_bus(
    redis_client: redis.Redis, transactional_db: None
) -> None:
    from django.db import connection

    from backend.marketdata.models import MarketInstrument
    from tests.marketdata.fake_exchanges import FakeOkx

    db = connection.settings_dict

    fake = FakeOkx(total=30)
    with fake.running():
        env = {
            "QT_EXCHANGES__OKX__WS_URL": f"ws://127.0.0.1:{fake.ws_port}",
            "QT_EXCHANGES__OKX__REST_URL": f"http://127.0.0.1:{fake.rest_port}",
            # The worker registers the instrument where this test can see it.
            "QT_DATABASE__URL": f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        }
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", "--exchange", "okx", "--symbols", "ETH-USDT", "--name", "okx"],
            cwd=REPO_ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:

            async def read_ids() -> list[int]:
                bus = await Bus.connect(BusSettings.from_config(settings.QT_NATS), name="t")
                try:
                    await bus.ensure_streams()  # the worker may not have declared them yet
                    stream = bus.subjects.stream_name("MD_TRADES")
                    sub = await bus.js.subscribe(
                        bus.subjects.trade("okx", "ETH-USDT"), stream=stream, ordered_consumer=True
                    )
                    ids: list[int] = []
                    while len(ids) < 30:
                        msg = await sub.next_msg(timeout=20)
                        ids.extend(t.trade_id for t in decode_trades(msg.data))
                    return ids
                finally:
                    await bus.close()

            assert asyncio.run(read_ids()) == list(range(1, 31))
            registered = MarketInstrument.objects.get(exchange="okx", symbol="ETH-USDT")
            assert (registered.tick_size, registered.lot_size) == (Decimal("0.1"), Decimal("0.00000001"))
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, proc.stderr.read()  # type: ignore[union-attr]
