"""Market-data bus: JetStream publish through backend.bus, each publish waiting for its ack.

Streams live in the "bench" namespace on the local NATS server and are deleted afterwards.
Batch throughput publishes pre-encoded 1,000-trade batches one after another (so it does
not include encoding; see codec); latency publishes one small message at a time.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from backend.bus.client import Bus, BusSettings
from backend.engine.market.codec import encode_trades
from bench.bench_codec import sample_batches
from bench.result import Result, percentile

URL = "nats://127.0.0.1:4222"
NAMESPACE = "bench"
BATCH = 1_000
MAX_BATCHES = 2_000
MAX_SECONDS = 5.0
LATENCY_SAMPLES = 2_000
WARMUP = 50


async def _delete_bench_streams(bus: Bus) -> None:
    for stream in await bus.js.streams_info():
        if stream.config.name and stream.config.name.startswith(f"{NAMESPACE}_"):
            await bus.js.delete_stream(stream.config.name)


async def _measure() -> list[Result]:
    bus = await Bus.connect(BusSettings(url=URL, namespace=NAMESPACE), name="bench")
    try:
        # Leftovers of an interrupted run would hold old messages and skew a fresh-stream number.
        await _delete_bench_streams(bus)
        await bus.ensure_streams()
        subject = bus.subjects.trade("sim", "BENCH-USDT")
        run_id = uuid.uuid4().hex[:12]  # msg ids must not collide with the dedup window of an earlier run

        payloads = [encode_trades(b) for b in sample_batches(n_batches=50, batch=BATCH)]
        for i in range(WARMUP // 10):
            await bus.publish(subject, payloads[i], msg_id=f"{run_id}-warm-{i}")
        sent = 0
        deadline = time.perf_counter() + MAX_SECONDS
        start = time.perf_counter_ns()
        while sent < MAX_BATCHES and time.perf_counter() < deadline:
            await bus.publish(subject, payloads[sent % len(payloads)], msg_id=f"{run_id}-batch-{sent}")
            sent += 1
        batch_s = (time.perf_counter_ns() - start) / 1e9

        small = encode_trades(sample_batches(n_batches=1, batch=1)[0])
        latencies_ms: list[float] = []
        deadline = time.perf_counter() + MAX_SECONDS
        for i in range(WARMUP + LATENCY_SAMPLES):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter_ns()
            await bus.publish(subject, small, msg_id=f"{run_id}-one-{i}")
            if i >= WARMUP:
                latencies_ms.append((time.perf_counter_ns() - t0) / 1e6)
    finally:
        try:
            await _delete_bench_streams(bus)
        finally:
            await bus.close()

    p99_anchor = "Go reference claims ingestion p99 < 2 ms"
    return [
        Result(
            f"acked publish, 1,000-trade batches ({sum(map(len, payloads)) // len(payloads) // 1024} KiB), sequential",
            sent * BATCH / batch_s,
            "trades/s",
            "platform goal: ≥ 400,000 trades/s decode+normalize+publish",
            400_000,
        ),
        Result("acked publish, 1,000-trade batches, sequential", sent / batch_s, "batches/s"),
        Result(f"publish ack latency p50, {len(small)}-byte message", percentile(latencies_ms, 50), "ms"),
        Result(
            f"publish ack latency p99, {len(small)}-byte message",
            percentile(latencies_ms, 99),
            "ms",
            p99_anchor,
            2.0,
            higher_is_better=False,
        ),
    ]


def run() -> list[Result]:
    return asyncio.run(_measure())
