"""The runtime every platform worker shares: connections, heartbeat, clean shutdown.

A worker is a management command whose body is one coroutine. The runtime connects
to Redis and NATS first and, if either is down, says which and how to start it
instead of printing a traceback; it then beats every `health.heartbeat_interval_s`
and stops cleanly on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
import structlog
from django.conf import settings
from redis.exceptions import RedisError

from backend.bus.client import Bus, BusSettings, BusUnavailable
from backend.ops import heartbeat
from backend.ops.metrics import WORKER_HEARTBEATS

EXIT_DEPENDENCY_DOWN = 3
EXIT_MISCONFIGURED = 2


@dataclass
class WorkerContext:
    name: str
    bus: Bus
    redis: Any
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    log: Any = None


WorkerBody = Callable[[WorkerContext], Awaitable[None]]


def redis_unavailable_message(url: str, reason: str) -> str:
    return (
        f"Redis at {url} is not reachable ({reason}). Start it with `make up`, or run "
        "`redis-server --daemonize yes` yourself, or point QT_REDIS__URL at a running server."
    )


async def _heartbeat_loop(ctx: WorkerContext, interval_s: float, ttl_s: float) -> None:
    while not ctx.stop.is_set():
        try:
            await heartbeat.beat_async(ctx.redis, ctx.name, ttl_s)
            WORKER_HEARTBEATS.labels(ctx.name).inc()
        except RedisError as exc:
            # A missed beat is what /readyz is for; the worker itself keeps going.
            ctx.log.warning("worker.heartbeat_failed", error=str(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stop.wait(), timeout=interval_s)


class WorkerMisconfigured(Exception):
    """Raised by a worker body when its setup cannot work; the message says how to fix it."""


async def run_worker(name: str, body: WorkerBody) -> int:
    log = structlog.get_logger("worker").bind(worker=name)
    redis_url = settings.CONFIG.redis.url
    client = aioredis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        sys.stderr.write(redis_unavailable_message(redis_url, str(exc)) + "\n")
        return EXIT_DEPENDENCY_DOWN
    try:
        bus = await Bus.connect(BusSettings.from_config(settings.QT_NATS), name=f"qt-{name}")
        await bus.ensure_streams()
    except BusUnavailable as exc:
        sys.stderr.write(f"{exc}\n")
        await client.aclose()
        return EXIT_DEPENDENCY_DOWN

    ctx = WorkerContext(name=name, bus=bus, redis=client, log=log)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, ctx.stop.set)

    health = settings.QT_HEALTH
    beats = asyncio.create_task(_heartbeat_loop(ctx, health.heartbeat_interval_s, health.heartbeat_ttl_s))
    work = asyncio.create_task(body(ctx))
    log.info("worker.started")
    stopper = asyncio.create_task(ctx.stop.wait())
    done, _ = await asyncio.wait({work, stopper}, return_when=asyncio.FIRST_COMPLETED)
    ctx.stop.set()
    exit_code = 0
    if work in done and isinstance(work.exception(), WorkerMisconfigured):
        sys.stderr.write(f"{work.exception()}\n")
        exit_code = EXIT_MISCONFIGURED
    elif work in done and work.exception() is not None:
        log.error("worker.crashed", exc_info=work.exception())
        exit_code = 1
    else:
        # Bodies watch ctx.stop and finish their current batch; give them a moment.
        try:
            await asyncio.wait_for(work, timeout=10)
        except TimeoutError:
            work.cancel()
    beats.cancel()
    stopper.cancel()
    await bus.close()
    await client.aclose()
    log.info("worker.stopped", exit_code=exit_code)
    return exit_code
