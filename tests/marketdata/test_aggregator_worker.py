"""The aggregator worker for real: JetStream in, PostgreSQL out, crashes and partitions included."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from backend.bus.client import Bus, BusSettings
from backend.conf.loader import REPO_ROOT
from backend.engine.aggregate.klines import aggregate
from backend.engine.market.codec import encode_trades
from backend.engine.sim.generator import DEFAULT_EPOCH_MS, HOUR_MS, SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from tests.marketdata.test_writer import stored_klines

pytestmark = pytest.mark.usefixtures("md_committed")
START = DEFAULT_EPOCH_MS + 7_100 * HOUR_MS
SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT")


def trades_by_symbol(minutes: int) -> dict[str, list]:  # type: ignore[type-arg]
    sim = SimExchange(DEFAULT_MARKETS, seed=21)
    return {s: list(sim.trades(s, START, START + minutes * 60_000)) for s in SYMBOLS}


def publish(  # type: ignore[assignment]
    namespace: str,
    trades: dict[str, list],
    batch: int = 300,
    extra: list[bytes] = (),
    url: str = "",  # type: ignore[type-arg]
) -> int:
    async def run() -> int:
        bus = await Bus.connect(BusSettings(url=url or settings.QT_NATS.url, namespace=namespace), name="publisher")
        await bus.ensure_streams()
        count = 0
        for symbol, items in trades.items():
            subject = bus.subjects.trade("sim", symbol)
            for i in range(0, len(items), batch):
                await bus.publish(subject, encode_trades(items[i : i + batch]))
                count += 1
            # One batch sent twice, as a publisher retry without a message id would.
            await bus.publish(subject, encode_trades(items[:batch]))
        for payload in extra:
            await bus.publish(bus.subjects.trade("sim", "BTC-USDT"), payload)
        await bus.close()
        return count

    return asyncio.run(run())


def start_aggregator(namespace: str, *args: str, env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        **(env_extra or {}),
        "QT_NATS__NAMESPACE": namespace,
        # The worker writes where this test reads: pytest-django's test database.
        "QT_DATABASE__URL": _test_db_url(),
        "QT_MARKETDATA__LATE_WINDOW_MS": str(10 * 24 * 3_600_000),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "aggregator", *args], cwd=REPO_ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _test_db_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def stored_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM md_trade")
        return int(cursor.fetchone()[0])


def wait_for(count: int, procs: list[subprocess.Popen[str]], timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stored_count() >= count:
            return
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(f"aggregator exited {proc.returncode}: {proc.stderr.read()}")  # type: ignore[union-attr]
        time.sleep(0.2)
    raise AssertionError(f"only {stored_count()} of {count} trades stored")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def assert_exact(trades: dict[str, list]) -> None:  # type: ignore[type-arg]
    assert stored_count() == sum(len(v) for v in trades.values())
    for symbol, items in trades.items():
        assert stored_klines(symbol) == aggregate(items), symbol


def test_aggregator_stores_and_aggregates_exactly_and_survives_malformed_messages(namespace: str) -> None:
    trades = trades_by_symbol(20)
    publish(namespace, trades, extra=[b"not json", b'[["sim","BTC-USDT",1,1,"NaN","1","buy",1]]'])
    proc = start_aggregator(namespace)
    wait_for(sum(len(v) for v in trades.values()), [proc])
    time.sleep(1)  # let it reach and acknowledge the malformed tail
    stop(proc)
    assert_exact(trades)
    assert "aggregator.malformed_message" in proc.stderr.read()  # type: ignore[union-attr]


def test_kill_9_mid_stream_then_restart_equals_an_uninterrupted_run(namespace: str) -> None:
    trades = trades_by_symbol(60)
    total = sum(len(v) for v in trades.values())
    publish(namespace, trades, batch=100)
    # Small fetches and a commit per fetch, so the kill lands mid-stream with many
    # transactions behind it and some ahead.
    slow = {"QT_MARKETDATA__FETCH_BATCH": "2", "QT_MARKETDATA__STORE_INTERVAL_MS": "0"}
    proc = start_aggregator(namespace, env_extra=slow)
    wait_for(total // 3, [proc])
    proc.kill()  # SIGKILL: no chance to finish or acknowledge anything
    proc.wait()
    assert stored_count() < total
    restarted = start_aggregator(namespace)
    wait_for(total, [restarted])
    time.sleep(1)
    stop(restarted)
    assert_exact(trades)


def test_two_partitioned_aggregators_share_the_markets_on_one_stream(namespace: str) -> None:
    trades = trades_by_symbol(15)
    publish(namespace, trades)
    procs = [start_aggregator(namespace, "--partition", str(i), "--partitions", "2") for i in range(2)]
    wait_for(sum(len(v) for v in trades.values()), procs)
    time.sleep(1)
    for proc in procs:
        stop(proc)
    assert_exact(trades)
