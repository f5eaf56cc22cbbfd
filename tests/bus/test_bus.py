from __future__ import annotations

import socket
import uuid

import pytest

from backend.bus.client import Bus, BusSettings, BusUnavailable
from backend.bus.subjects import Subjects


def test_subjects_are_namespaced_and_reject_wildcards() -> None:
    plain, spaced = Subjects(""), Subjects("blue")
    assert plain.trade("binance", "BTC-USDT") == "md.trade.binance.BTC-USDT"
    assert spaced.kline("1m", "okx", "ETH-USDT") == "blue.md.kline.1m.okx.ETH-USDT"
    assert spaced.stream_name("MD_TRADES") == "blue_MD_TRADES"
    for bad in ("BTC.USDT", "*", ">", "a b", ""):
        with pytest.raises(ValueError, match="invalid subject token"):
            plain.trade("sim", bad)


async def test_streams_are_declared_idempotently(bus: Bus) -> None:
    await bus.ensure_streams()
    await bus.ensure_streams()
    names = {s.config.name for s in await bus.js.streams_info()}
    assert {bus.subjects.stream_name("MD_TRADES"), bus.subjects.stream_name("MD_KLINES")} <= names


async def test_publish_with_message_id_is_deduplicated(bus: Bus) -> None:
    await bus.ensure_streams()
    subject = bus.subjects.trade("sim", f"DEDUP{uuid.uuid4().hex[:8]}")
    first = await bus.publish(subject, b"batch-1", msg_id="batch-1")
    again = await bus.publish(subject, b"batch-1", msg_id="batch-1")
    other = await bus.publish(subject, b"batch-2", msg_id="batch-2")
    assert again == first
    assert other == first + 1


async def test_durable_pull_consumer_resumes_after_acknowledged_messages(bus: Bus) -> None:
    await bus.ensure_streams()
    symbol = f"PULL{uuid.uuid4().hex[:8]}"
    subject = bus.subjects.trade("sim", symbol)
    for i in range(5):
        await bus.publish(subject, f"m{i}".encode())
    stream = bus.subjects.stream_name("MD_TRADES")
    durable = f"c{uuid.uuid4().hex[:8]}"
    sub = await bus.pull_consumer(stream=stream, durable=durable, filter_subject=subject)
    first = await sub.fetch(3, timeout=2)
    assert [m.data for m in first] == [b"m0", b"m1", b"m2"]
    for msg in first:
        await msg.ack_sync()
    await sub.unsubscribe()
    # A new subscription on the same durable continues after the acked messages.
    resumed = await bus.pull_consumer(stream=stream, durable=durable, filter_subject=subject)
    rest = await resumed.fetch(5, timeout=2)
    assert [m.data for m in rest] == [b"m3", b"m4"]


async def test_unreachable_server_is_reported_by_name_with_the_fix() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings = BusSettings(url=f"nats://127.0.0.1:{port}", connect_timeout_s=0.3, reconnect_wait_s=0.1)
    with pytest.raises(BusUnavailable) as info:
        await Bus.connect(settings, name="t", startup_timeout_s=1.0)
    message = str(info.value)
    assert f"NATS at nats://127.0.0.1:{port} is not reachable" in message
    assert "make up" in message
