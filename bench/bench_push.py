"""Push gateway: N concurrent WebSocket clients on one klines channel, NATS publish -> client receive.

One uvicorn process serves `backend.asgi:application` as docker-compose runs it (default
options: uvloop, websockets-sansio, permessage-deflate negotiated by the clients, one worker,
DEBUG off) in its own bus namespace. The clients use the `websockets` library (compression
on, as browsers negotiate it), split over `CLIENT_PROCS` processes of one asyncio loop each;
each authenticates with an API key of a dedicated tenant on a "bench-push" tier whose
`websocket_connections` is 1,000,000, so the per-tenant connection limit (the tier's, counted
in Redis) is exercised but never caps N. Every client subscribes to `klines sim BTC-USDT 1m`.

The bench then publishes `UPDATES` (30) live-kline messages on the channel's NATS subject, one
every `INTERVAL_S` (1 s, the cadence of the exchanges' own kline streams), each carrying its
wall-clock publish time (`time.time_ns()`, same host).
Latency is publish -> the client's `recv()` returning the parsed frame, for every
(client, update) pair; so it includes the client processes' own event-loop queueing on the
shared 2 cores (server, NATS, Redis and clients all share them). Drops: pairs never received,
and connections closed by the server. RLIMIT_NOFILE is raised to its hard limit in every
process (the server inherits it).

Knobs (environment, for finding the largest N by hand; `python -m bench.bench_push N` prints
the raw numbers): BENCH_PUSH_CLIENTS, BENCH_PUSH_UPDATES, BENCH_PUSH_INTERVAL_S,
BENCH_PUSH_COMPRESSION ("" = off), BENCH_PUSH_WORKERS (uvicorn workers).

What bounds it (py-spy on the server at 2,000 clients): per client and message about 40 % is
the socket write (`transport.write`: on loopback the kernel does the receiving side's TCP work
in the sender's syscall), about 15 % permessage-deflate, the rest uvicorn's and Channels' send
path and the per-connection send task. One update to 2,000 clients is therefore ~100+ ms of one
core, before the clients (on the same 2 cores) read it.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from typing import Any

from bench import django_env
from bench.bench_http import HOST, _free_port, _wait_healthy
from bench.result import Result, percentile

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_PUSH_CLIENTS", "2000"))
CLIENT_PROCS = 2
UPDATES = int(os.environ.get("BENCH_PUSH_UPDATES", "30"))
INTERVAL_S = float(os.environ.get("BENCH_PUSH_INTERVAL_S", "1.0"))
COMPRESSION = os.environ.get("BENCH_PUSH_COMPRESSION", "deflate") or None
CONNECT_CONCURRENCY = 50
WORKERS = int(os.environ.get("BENCH_PUSH_WORKERS", "1"))
SUBSCRIBE = {"type": "subscribe", "channel": "klines", "exchange": "sim", "symbol": "BTC-USDT", "interval": "1m"}
END = -1


def _raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _kline(seq: int) -> bytes:
    return json.dumps(
        {
            "exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "open_time": 0, "close_time": 59999,
            "open": "60000.00", "high": "60010.00", "low": "59990.00", "close": f"{60000 + seq % 10}.00",
            "volume": "12.5", "quote_volume": "750000.00", "trades": seq, "closed": False, "revision": False,
            "sent_ns": time.time_ns(),
        }
    ).encode()  # fmt: skip


async def _clients(url: str, count: int) -> None:
    import websockets

    latencies: list[float] = []
    by_update: dict[int, float] = {}  # update -> slowest receipt in this process
    seen: list[int] = [0] * count
    closed: list[int] = []
    failed: list[str] = []
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    ready = asyncio.Event()
    opened = 0

    async def one(i: int) -> None:
        nonlocal opened
        try:
            async with gate:
                ws = await websockets.connect(
                    url, origin="http://localhost", open_timeout=60, max_queue=None, compression=COMPRESSION
                )
                async with asyncio.timeout(60):
                    while json.loads(await ws.recv())["type"] != "welcome":
                        pass
                    await ws.send(json.dumps(SUBSCRIBE))
                    while json.loads(await ws.recv())["type"] != "subscribed":
                        pass
        except (OSError, TimeoutError, ValueError, websockets.WebSocketException) as exc:  # a failed client, not a hang
            failed.append(repr(exc)[:200])
            return
        finally:
            opened += 1
            if opened == count:
                ready.set()
        try:
            while True:
                msg = json.loads(await ws.recv())
                if msg["type"] != "update":
                    continue
                now = time.time_ns()
                data = msg["data"]
                if data["trades"] == END:
                    break
                ms = (now - data["sent_ns"]) / 1e6
                latencies.append(ms)
                by_update[data["trades"]] = max(ms, by_update.get(data["trades"], 0.0))
                seen[i] += 1
        except websockets.ConnectionClosed as exc:
            closed.append(exc.rcvd.code if exc.rcvd else 0)
        finally:
            await ws.close()

    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    await ready.wait()
    print("ready", flush=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    print(
        json.dumps({"latencies": latencies, "by_update": by_update, "seen": seen, "closed": closed, "failed": failed}),
        flush=True,
    )


def _client_main() -> None:
    """A client process (a plain subprocess, so any caller's __main__ works): url, count in argv;
    prints "ready" once every client is subscribed, then one JSON line of results."""
    _raise_nofile()
    import uvloop

    uvloop.run(_clients(sys.argv[1], int(sys.argv[2])))


def _readline(proc: subprocess.Popen[bytes], timeout_s: float) -> bytes:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    if not ready:
        raise RuntimeError(f"a client process said nothing for {timeout_s} s")
    return proc.stdout.readline()


def _push_key() -> str:
    """An API key of a dedicated tenant on the bench-push tier (connection limit far above N)."""
    from backend.identity.models import User
    from backend.tenancy import selectors, services
    from backend.tenancy.context import tenant_context
    from backend.tenancy.models import Tier

    Tier.objects.update_or_create(
        code="bench-push",
        defaults={
            "name": "Bench push",
            "requests_per_minute": 10_000_000,
            "requests_per_day": 1_000_000_000,
            **dict.fromkeys(Tier.QUOTA_FIELDS, 1000),
            "websocket_connections": 1_000_000,
        },
    )
    email = "bench-push@quant-trader.local"
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    memberships = selectors.memberships_of(user.pk)
    tenant = (
        memberships[0].tenant
        if memberships
        else services.tenant_create(name="Bench push", owner=user, tier_code="bench-push")
    )
    with tenant_context(tenant.pk):
        _, raw = services.api_key_create(
            tenant_id=tenant.pk, name="bench-push", scopes=["read"], expires_at=None,
            created_by_id=user.pk, actor_label="bench", ip=None,
        )  # fmt: skip
    return raw


async def _publish(nats_url: str, subject: str) -> None:
    import nats

    nc = await nats.connect(nats_url)
    await asyncio.sleep(1.0)  # the hub's NATS subscription is in place once the first client subscribed
    next_at = time.monotonic()
    for seq in range(UPDATES):
        await nc.publish(subject, _kline(seq))
        await nc.flush()
        next_at += INTERVAL_S
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    await asyncio.sleep(2.0)
    await nc.publish(subject, _kline(END))
    await nc.close()


def measure(clients: int) -> dict[str, Any]:
    django_env.setup()
    from django.conf import settings

    _raise_nofile()
    key = _push_key()
    namespace = f"benchpush{uuid.uuid4().hex[:8]}"
    port = _free_port()
    env = {**os.environ, "QT_LOGGING__LEVEL": "WARNING", "QT_DEBUG": "false", "QT_NATS__NAMESPACE": namespace}
    uvicorn = [
        sys.executable, "-m", "uvicorn", "backend.asgi:application",
        "--host", HOST, "--port", str(port), "--no-access-log", "--lifespan", "off", "--workers", str(WORKERS),
    ]  # fmt: skip
    url = f"ws://{HOST}:{port}/ws/v1?api_key={key}"
    client_cmd = [sys.executable, "-c", "from bench.bench_push import _client_main; _client_main()", url]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(uvicorn, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        procs: list[subprocess.Popen[bytes]] = []
        try:
            _wait_healthy(server, port, log)
            started = time.perf_counter()
            for k in range(CLIENT_PROCS):
                share = clients // CLIENT_PROCS + (1 if k < clients % CLIENT_PROCS else 0)
                procs.append(subprocess.Popen([*client_cmd, str(share)], cwd=REPO_ROOT, stdout=subprocess.PIPE))
            for proc in procs:
                if _readline(proc, 300).strip() != b"ready":
                    raise RuntimeError("clients did not connect")
            connect_s = time.perf_counter() - started
            subject = f"{namespace}.md.kline.1m.sim.BTC-USDT"
            asyncio.run(_publish(settings.QT_NATS.url, subject))
            results = [json.loads(_readline(proc, 120)) for proc in procs]
        finally:
            for proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            server.terminate()
            server.wait(timeout=30)
    latencies = [x for r in results for x in r["latencies"]]
    seen = [x for r in results for x in r["seen"]]
    closed = [x for r in results for x in r["closed"]]
    failed = [x for r in results for x in r["failed"]]
    return {
        "clients": clients,
        "connect_s": connect_s,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        # Slowest receipt per update, in publish order: a flat profile means fan-out cost,
        # a few spikes mean stalls (other load on the box, GC, bursts).
        "slowest_per_update": [
            round(max(float(r["by_update"].get(str(seq), 0.0)) for r in results), 1) for seq in range(UPDATES)
        ],
        "expected": clients * UPDATES,
        "received": len(latencies),
        "clients_short": sum(1 for s in seen if s < UPDATES),
        "closed": closed,
        "failed_connects": len(failed),
        "failures": sorted(set(failed))[:5],
    }


def run() -> Iterator[Result]:
    m = measure(CLIENTS)
    label = f"push gateway, {m['clients']:,} WebSocket clients on one klines channel"
    yield Result(
        f"{label}: NATS publish -> received p99", m["p99"], "ms", "goal: p99 < 100 ms", 100, higher_is_better=False
    )
    yield Result(f"{label}: NATS publish -> received p50", m["p50"], "ms", higher_is_better=False)
    yield Result(f"{label}: updates not received", m["expected"] - m["received"], "messages", higher_is_better=False)
    yield Result(f"{label}: connections closed by the server", len(m["closed"]), "clients", higher_is_better=False)
    yield Result(f"{label}: clients that failed to connect", m["failed_connects"], "clients", higher_is_better=False)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else CLIENTS), indent=1))
