"""The live pipeline end to end: sim ingest -> JetStream -> aggregator -> PostgreSQL and
kline updates on NATS, at 10,000 trades/s over 100 markets.

Latency is measured from the ingest worker's receive time of the newest trade a kline
update carries (source_recv_ms) to the update's arrival at a subscriber; only updates
published straight from their trades' batch carry it (throttled ones do not). Peak
RSS is each worker process's VmHWM. Runs in its own bus namespace; the synthetic
markets' rows are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec

from bench import django_env
from bench.result import Result, percentile

REPO = Path(__file__).resolve().parent.parent
NAMESPACE = "benchpipe"
MARKETS = 100
RATE = 10_000
WARMUP_S = 8
MEASURE_S = 15


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_NATS__NAMESPACE": NAMESPACE, "QT_LOGGING__LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _measure() -> tuple[list[float], int]:
    from django.conf import settings

    from backend.bus.client import Bus, BusSettings

    bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=NAMESPACE), name="bench-pipeline")
    lags: list[float] = []
    count = 0
    decoder = msgspec.json.Decoder()

    async def on_message(msg) -> None:  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        source = decoder.decode(msg.data).get("source_recv_ms", 0)
        if source:
            lags.append(time.time() * 1000 - source)

    sub = await bus.subscribe_core(f"{NAMESPACE}.md.kline.1m.sim.>", on_message)
    await asyncio.sleep(MEASURE_S)
    await sub.unsubscribe()
    for stream in await bus.js.streams_info():
        if stream.config.name and stream.config.name.startswith(f"{NAMESPACE}_"):
            await bus.js.delete_stream(stream.config.name)
    await bus.close()
    return lags, count


def _cleanup() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("md_trade", "md_kline"):
            cursor.execute(f"DELETE FROM {table} WHERE exchange = 'sim' AND symbol LIKE %s", ["S___-USDT"])  # noqa: S608


def run() -> Iterator[Result]:
    django_env.setup()
    aggregator = _start(["aggregator", "--name", "bench-aggregator"])
    ingest = _start(["ingest", "--exchange", "sim", "--symbols", "BTC-USDT", "--synthetic", str(MARKETS - 1),
                     "--rate", str(RATE), "--name", "bench-ingest"])  # fmt: skip
    try:
        time.sleep(WARMUP_S)
        lags, updates = asyncio.run(_measure())
        rss = {name: _peak_rss_mb(proc.pid) for name, proc in (("ingest", ingest), ("aggregator", aggregator))}
    finally:
        for proc in (ingest, aggregator):
            proc.send_signal(signal.SIGTERM)
        for proc in (ingest, aggregator):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        _cleanup()
    if not lags:
        raise RuntimeError(f"no kline updates carried a receive time ({updates} updates seen)")
    yield Result(
        f"trade received -> 1m kline update on NATS, p99, {RATE:,} trades/s over {MARKETS} markets",
        percentile(lags, 99),
        "ms",
        "issue 4 goal: p99 < 5 ms",
        5,
        higher_is_better=False,
    )
    yield Result("trade received -> kline update, p50", percentile(lags, 50), "ms")
    yield Result("kline updates seen (1m, all markets)", updates, f"in {MEASURE_S} s")
    yield Result(
        f"peak RSS of ingest + aggregator at {MARKETS} markets",
        rss["ingest"] + rss["aggregator"],
        "MB",
        "issue 4 goal: < 300 MB",
        300,
        higher_is_better=False,
    )
