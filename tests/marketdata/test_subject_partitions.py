"""Aggregators scaled out by NATS subject partitioning, on a server carrying the mappings.

The machine's NATS has no mappings, so these tests start a private nats-server with the
configuration `manage.py nats_mappings` prints.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.bus.client import Bus, BusSettings
from backend.bus.subjects import mappings_block
from tests.marketdata.test_aggregator_worker import (
    assert_exact,
    publish,
    start_aggregator,
    stop,
    trades_by_symbol,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("md_committed")
PARTITIONS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mapped_nats(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
    port = _free_port()
    config = tmp_path / "nats.conf"
    config.write_text(
        f"listen: 127.0.0.1:{port}\njetstream {{ store_dir: {tmp_path / 'js'} }}\n{mappings_block(PARTITIONS)}"
    )
    proc = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError("private nats-server did not start") from None
            time.sleep(0.05)
    yield f"nats://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def _delivered(url: str, namespace: str, durable: str) -> int:
    async def run() -> int:
        bus = await Bus.connect(BusSettings(url=url, namespace=namespace), name="inspect")
        info = await bus.js.consumer_info(bus.subjects.stream_name("MD_TRADES"), durable)
        await bus.close()
        return int(info.delivered.consumer_seq or 0)  # deliveries (no redelivery happens in this run)

    return asyncio.run(run())


def test_each_partitioned_aggregator_receives_only_its_markets(mapped_nats: str, namespace: str) -> None:
    trades = trades_by_symbol(15)
    messages = publish(namespace, trades, url=mapped_nats) + len(trades)  # + the one repeated batch per symbol
    env = {"QT_NATS__URL": mapped_nats, "QT_NATS__TRADE_PARTITIONS": str(PARTITIONS)}
    procs = [
        start_aggregator(namespace, "--partition", str(i), "--partitions", str(PARTITIONS), env_extra=env)
        for i in range(PARTITIONS)
    ]
    wait_for(sum(len(v) for v in trades.values()), procs)
    time.sleep(1)
    for proc in procs:
        stop(proc)
    assert_exact(trades)
    delivered = [_delivered(mapped_nats, namespace, f"aggregator-{i}-of-{PARTITIONS}") for i in range(PARTITIONS)]
    # The server split the stream: no message reached both instances, and both got work.
    assert sum(delivered) == messages
    assert all(delivered)


def test_partitions_configured_but_not_mapped_by_the_server_is_refused(namespace: str) -> None:
    env = {"QT_NATS__TRADE_PARTITIONS": str(PARTITIONS)}  # the machine's NATS: no mappings
    proc = start_aggregator(namespace, "--partition", "0", "--partitions", str(PARTITIONS), env_extra=env)
    assert proc.wait(timeout=60) == 2
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "maps trades into 1 partition" in err and "nats_mappings 2" in err
