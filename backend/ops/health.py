"""Readiness probes for /readyz and `manage.py healthcheck`.

Each probe opens its own short-lived connection under a hard timeout, so a hung
dependency makes its component fail fast instead of stalling the endpoint.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

import nats
import psycopg
import redis.asyncio as aioredis

from backend.ops import heartbeat
from backend.ops.metrics import COMPONENT_UP, PROBE_SECONDS


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    latency_ms: float
    detail: str


@dataclass(frozen=True)
class ReadinessTargets:
    database_conninfo: dict[str, Any]
    redis_url: str
    nats_url: str
    workers: tuple[str, ...]
    heartbeat_ttl_s: float
    timeout_s: float


async def _timed(name: str, probe: Awaitable[str], timeout_s: float) -> ProbeResult:
    start = time.perf_counter()
    try:
        detail = await asyncio.wait_for(probe, timeout=timeout_s)
        ok = True
    except TimeoutError:
        ok, detail = False, f"no answer within {timeout_s:g} s"
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is a failed probe
        ok, detail = False, f"{type(exc).__name__}: {exc}".strip()[:300]
    elapsed = time.perf_counter() - start
    PROBE_SECONDS.labels(name).observe(elapsed)
    COMPONENT_UP.labels(name).set(1 if ok else 0)
    return ProbeResult(ok=ok, latency_ms=round(elapsed * 1000, 2), detail=detail)


async def probe_database(conninfo: dict[str, Any]) -> str:
    conn = await psycopg.AsyncConnection.connect(**conninfo, autocommit=True)
    try:
        cur = await conn.execute(
            "SELECT current_setting('server_version'),"
            " (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb')"
        )
        row = await cur.fetchone()
        version, timescale = (row[0], row[1]) if row else ("?", None)
        storage = f"TimescaleDB {timescale} available" if timescale else "native partitioning (no TimescaleDB)"
        return f"PostgreSQL {version}; {storage}"
    finally:
        await conn.close()


async def probe_redis(url: str, timeout_s: float) -> str:
    client = aioredis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
    try:
        await client.ping()
        info = await client.info("server")
        return f"Redis {info.get('redis_version', '?')}"
    finally:
        await client.aclose()


async def probe_nats(url: str, timeout_s: float) -> str:
    async def quiet(_: Exception) -> None:
        return None

    nc = await nats.connect(
        servers=[url], connect_timeout=timeout_s, allow_reconnect=False, max_reconnect_attempts=0, error_cb=quiet
    )
    try:
        info = await nc.jetstream().account_info()
        v = nc.connected_server_version
        return f"NATS {v.major}.{v.minor}.{v.patch}, JetStream streams={info.streams}"
    finally:
        await nc.close()


async def probe_heartbeat(redis_url: str, component: str, ttl_s: float, timeout_s: float) -> str:
    client = aioredis.Redis.from_url(redis_url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
    try:
        beat = heartbeat.parse(await client.get(heartbeat.key_for(component)))
    finally:
        await client.aclose()
    if beat is None:
        raise LookupError("no heartbeat recorded; is the worker running?")
    age = beat.age_s()
    if age > ttl_s:
        raise LookupError(f"no heartbeat for {age:.0f} s (pid {beat.pid} on {beat.host})")
    return f"heartbeat {age:.1f} s ago (pid {beat.pid} on {beat.host})"


async def check_readiness(targets: ReadinessTargets) -> dict[str, ProbeResult]:
    t = targets.timeout_s
    probes: dict[str, Callable[[], Awaitable[str]]] = {
        "database": lambda: probe_database(targets.database_conninfo),
        "redis": lambda: probe_redis(targets.redis_url, t),
        "nats": lambda: probe_nats(targets.nats_url, t),
    }
    for worker in targets.workers:
        probes[f"worker:{worker}"] = partial(probe_heartbeat, targets.redis_url, worker, targets.heartbeat_ttl_s, t)
    names = list(probes)
    results = await asyncio.gather(*(_timed(name, probes[name](), t) for name in names))
    return dict(zip(names, results, strict=True))


def as_json(results: dict[str, ProbeResult]) -> dict[str, Any]:
    return {name: asdict(result) for name, result in results.items()}
