"""Paper trading through the API: orders/s and order -> fill-on-NATS latency.

A bench tenant (bench tier, limits that never trip but are counted) with one account
per client connection; uvicorn serves the API with two workers (DEBUG off), one
`paper_engine` runs in its own bus namespace, and threaded keep-alive clients POST
market orders (alternating buy/sell, so balances never run out). Every order goes the
whole way: key auth, two rate-limit windows, RLS transaction, input checks, NATS
request/reply to the engine, engine match at the last price, one group-committed
transaction for orders, fills, balances and positions, reply, fill published on NATS.

Latencies: (1) order POST sent -> the API's 201 received; (2) order POST sent -> its
fill received by a NATS subscriber (an upper bound of "accepted -> fill published"),
and (3) for resting limit orders, trade print published -> fill received.
Client, server and engine share the machine's cores, so the numbers understate a
dedicated host.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bench import django_env
from bench.bench_api import _bench_key
from bench.bench_http import HOST, _free_port, _wait_healthy
from bench.result import Result, percentile

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
DURATION_S = 10
CONNECTIONS = 16
LIMIT_ORDERS = 300


class _Fills:
    """NATS subscriber on the namespace's fills, on its own loop: order id -> receive time."""

    def __init__(self, url: str, namespace: str) -> None:
        self.url, self.namespace = url, namespace
        self.received: dict[str, int] = {}
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        import nats

        self.thread.start()

        async def go() -> None:
            self.nc = await nats.connect(self.url)

            async def on(msg: Any) -> None:
                self.received.setdefault(json.loads(msg.data)["order_id"], time.perf_counter_ns())

            await self.nc.subscribe(f"{self.namespace}.trading.fill.>", cb=on)
            await self.nc.flush()

        asyncio.run_coroutine_threadsafe(go(), self.loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.nc.close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def _publish_trade(url: str, namespace: str, price: str, trade_id: int) -> int:
    from backend.bus.client import Bus, BusSettings
    from backend.engine.market.codec import encode_trades
    from backend.engine.market.trade import Side, Trade

    async def go() -> int:
        bus = await Bus.connect(BusSettings(url=url, namespace=namespace), name="bench-trades")
        await bus.ensure_streams()
        now = int(time.time() * 1000)
        trade = Trade("sim", "BTC-USDT", trade_id, now, Decimal(price), Decimal(100), Side.SELL, now)
        sent = time.perf_counter_ns()
        await bus.publish(bus.subjects.trade("sim", "BTC-USDT"), encode_trades([trade]))
        await bus.close()
        return sent

    return asyncio.run(go())


def _accounts(key_tenant: int, count: int) -> list[int]:
    from backend.tenancy.context import tenant_context
    from backend.trading import services

    ids = []
    with tenant_context(key_tenant):
        for i in range(count):
            account = services.account_create(
                tenant_id=key_tenant,
                data={
                    "name": f"bench {i}",
                    "exchange": "sim",
                    "currency": "USDT",
                    "starting_balance": Decimal(10) ** 9,
                    "maker_fee": Decimal("0.0002"),
                    "taker_fee": Decimal("0.0005"),
                    "margin": False,
                    "leverage": Decimal(1),
                    "risk_limits": {},
                },
            )
            ids.append(account.pk)
    return ids


def _post(conn: http.client.HTTPConnection, key: str, account: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    conn.request(
        "POST",
        f"/api/v1/accounts/{account}/orders",
        body=json.dumps(body),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def _load(port: int, key: str, accounts: list[int]) -> dict[str, Any]:
    sent: dict[str, int] = {}
    api_ms: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + DURATION_S

    def client(account: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        side = "buy"
        local: list[tuple[str, int, float]] = []
        bad = 0
        while time.perf_counter() < deadline:
            t0 = time.perf_counter_ns()
            status, body = _post(
                conn, key, account, {"symbol": "BTC-USDT", "side": side, "type": "market", "qty": "0.001"}
            )
            t1 = time.perf_counter_ns()
            if status == 201 and body["status"] == "filled":
                local.append((body["id"], t0, (t1 - t0) / 1e6))
                side = "sell" if side == "buy" else "buy"
            else:
                bad += 1
        with lock:
            for order_id, t0, ms in local:
                sent[order_id] = t0
                api_ms.append(ms)
            errors.append(bad)

    threads = [threading.Thread(target=client, args=(a,)) for a in accounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"sent": sent, "api_ms": api_ms, "errors": sum(errors)}


async def _engine_path(url: str, namespace: str, accounts: list[int]) -> tuple[float, list[float]]:
    """Orders straight to the engine over NATS request/reply (no HTTP): what the engine itself sustains."""
    import nats

    from backend.trading import wire

    nc = await nats.connect(url)
    subject = f"{namespace}.trading.cmd.0"
    latencies: list[float] = []
    deadline = time.perf_counter() + DURATION_S / 2

    async def client(account: int) -> None:
        side = "buy"
        while time.perf_counter() < deadline:
            payload = wire.command_encoder.encode(
                wire.Submit(account=account, symbol="BTC-USDT", side=side, qty=Decimal("0.001"), type="market")
            )
            t0 = time.perf_counter_ns()
            reply = wire.reply_decoder.decode((await nc.request(subject, payload, timeout=5)).data)
            latencies.append((time.perf_counter_ns() - t0) / 1e6)
            assert reply.ok, reply
            side = "sell" if side == "buy" else "buy"

    started = time.perf_counter()
    await asyncio.gather(*(client(a) for a in accounts))
    elapsed = time.perf_counter() - started
    await nc.close()
    return len(latencies) / elapsed, latencies


def run() -> Iterator[Result]:
    django_env.setup()
    from django.conf import settings

    from backend.identity.models import User
    from backend.tenancy import selectors

    key = _bench_key()
    user = User.objects.get(email="bench@quant-trader.local")
    tenant_id = selectors.memberships_of(user.pk)[0].tenant_id
    accounts = _accounts(tenant_id, CONNECTIONS + 1)
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    url = settings.QT_NATS.url
    port = _free_port()
    env = {**os.environ, "QT_LOGGING__LEVEL": "WARNING", "QT_DEBUG": "false", "QT_NATS__NAMESPACE": namespace}
    uvicorn = [
        str(REPO_ROOT / ".venv" / "bin" / "uvicorn"), "backend.asgi:application",
        "--host", HOST, "--port", str(port), "--workers", "2", "--no-access-log", "--lifespan", "off",
    ]  # fmt: skip
    engine_cmd = [sys.executable, "manage.py", "paper_engine", "--name", f"paper-engine-{namespace}"]
    fills = _Fills(url, namespace)
    trade_id = int(time.time() * 1000) * 1000
    with tempfile.TemporaryFile() as log, tempfile.TemporaryFile() as engine_log:
        engine = subprocess.Popen(engine_cmd, cwd=REPO_ROOT, env=env, stdout=engine_log, stderr=subprocess.STDOUT)
        server = subprocess.Popen(uvicorn, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(server, port, log)
            fills.start()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            # Wait for the engine (503 until it answers), then give it a price.
            probe = {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.001"}
            for _ in range(300):
                trade_id += 1
                _publish_trade(url, namespace, "60000.00", trade_id)
                if _post(conn, key, accounts[-1], probe)[0] == 201:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError("the paper engine never filled the probe order")
            stats = _load(port, key, accounts[:CONNECTIONS])
            engine_rate, engine_ms = asyncio.run(_engine_path(url, namespace, accounts[:CONNECTIONS]))

            # Resting limits filled by one print each: print published -> fill received.
            print_ms: list[float] = []
            resting = accounts[-1]
            conn = http.client.HTTPConnection(HOST, port, timeout=10)  # the first one idled out
            for _ in range(LIMIT_ORDERS):
                body = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.001", "price": "59990.00"}
                status, order = _post(conn, key, resting, body)
                assert status == 201 and order["status"] == "new", order
                trade_id += 1
                t0 = _publish_trade(url, namespace, "59980.00", trade_id)
                while order["id"] not in fills.received:
                    time.sleep(0.0002)
                print_ms.append((fills.received[order["id"]] - t0) / 1e6)
                trade_id += 1
                _publish_trade(url, namespace, "60000.00", trade_id)
            time.sleep(0.5)  # the last fills' messages
        finally:
            server.terminate()
            engine.terminate()
            server.wait(timeout=15)
            engine.wait(timeout=15)
            fills.stop()

    sent = stats["sent"]
    e2e = [(fills.received[o] - t0) / 1e6 for o, t0 in sent.items() if o in fills.received]
    rate = len(sent) / DURATION_S
    label = f"POST market orders through the API to the paper engine, 2 uvicorn workers, {CONNECTIONS} clients"
    yield Result(f"{label}: throughput", rate, "orders/s", "trading goal: ≥ 1,000 orders/s sustained", 1_000)
    yield Result("order API latency p50 (POST -> 201 filled)", percentile(stats["api_ms"], 50), "ms")
    yield Result("order API latency p99", percentile(stats["api_ms"], 99), "ms", higher_is_better=False)
    yield Result("order POST -> fill on NATS p50", percentile(e2e, 50), "ms")
    yield Result(
        "order POST -> fill on NATS p99", percentile(e2e, 99), "ms", "trading goal: p99 < 10 ms", 10,
        higher_is_better=False,
    )  # fmt: skip
    yield Result("fills published / orders filled", len(e2e) / max(len(sent), 1), "ratio")
    yield Result("order errors (non-201 or not filled)", stats["errors"], "count", higher_is_better=False)
    yield Result(
        f"market orders straight to the engine (NATS request/reply, {CONNECTIONS} in flight): throughput",
        engine_rate, "orders/s", "trading goal: ≥ 1,000 orders/s sustained", 1_000,
    )  # fmt: skip
    yield Result("engine request -> reply (order filled and committed) p50", percentile(engine_ms, 50), "ms")
    yield Result(
        "engine request -> reply p99", percentile(engine_ms, 99), "ms", "trading goal: p99 < 10 ms", 10,
        higher_is_better=False,
    )  # fmt: skip
    yield Result("resting limit: trade print -> fill on NATS p50", percentile(print_ms, 50), "ms")
    yield Result(
        "resting limit: trade print -> fill on NATS p99", percentile(print_ms, 99), "ms", "trading goal: p99 < 10 ms",
        10, higher_is_better=False,
    )  # fmt: skip
