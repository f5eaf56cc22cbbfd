"""The alert engine worker: trades and klines from the bus -> indexed rules -> firings fanned out.

- Trades: a durable pull consumer on MD_TRADES (new messages only for a new consumer:
  alerts are about now). Messages are acknowledged after the batch's firings are
  committed and their webhook tasks enqueued, so a crash re-evaluates, never loses.
- Klines: a core subscription to every kline subject (live updates and closes alike).
- Events: order fills (trading.fill.*.*), deployment errors (strategy.error.*.*), drawdown
  breakers tripping (trading.account.*.* with breaker_tripped and reason drawdown_breaker)
  and lapsed subscriptions (billing.subscription_lapsed.*.*), in a queue group so each is
  handled by one instance.
- Rules: reloaded when their fingerprint changes (checked every alerts.reload_interval_ms),
  keeping the trigger state of unchanged rules.
Scale-out: --partition i --partitions N keeps the markets crc32("exchange.symbol") % N
owns, like the aggregator's client-side partitioning.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from typing import Any

import msgspec
import nats
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from nats.aio.msg import Msg

from backend.alerts import services
from backend.alerts.tasks import send_alert_email
from backend.engine.alerts.index import AlertEngine, KlineIn
from backend.engine.alerts.rules import Firing
from backend.marketdata import selectors
from backend.marketdata.aggregator import KlineMessage, Partition
from backend.ops.worker import WorkerContext

log = structlog.get_logger(__name__)


class AlertTrade(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """The bus's trade array, with prices as floats: alerts compare, they never book."""

    exchange: str
    symbol: str
    trade_id: int
    ts_ms: int
    price: float
    qty: float
    side: str
    recv_ms: int


trade_decoder = msgspec.json.Decoder(list[AlertTrade], strict=False)
kline_decoder = msgspec.json.Decoder(KlineMessage, strict=False)


def evaluate_batch(engine: AlertEngine, payloads: list[bytes], partition: Partition) -> list[Firing]:
    """Decode trade batches and run them through the engine (market order kept per market)."""
    by_market: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for payload in payloads:
        try:
            trades = trade_decoder.decode(payload)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue
        for t in trades:
            by_market[(t.exchange, t.symbol)].append((t.price, t.ts_ms))
    fired: list[Firing] = []
    for (exchange, symbol), prices in by_market.items():
        if partition.owns(exchange, symbol):
            fired.extend(engine.on_trades(exchange, symbol, prices))
    return fired


def kline_in(payload: bytes) -> KlineIn | None:
    try:
        k = kline_decoder.decode(payload)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return KlineIn(
        k.exchange,
        k.symbol,
        k.interval,
        k.open_time,
        float(k.close),
        float(k.high),
        float(k.low),
        float(k.volume),
        k.closed,
        k.revision,
    )


def record_and_dispatch(firings: list[Firing], finished: list[int]) -> list[services.Recorded]:
    """Commit firings, then enqueue their webhook deliveries and emails (sync: DB + broker)."""
    recorded = services.record_firings(firings, finished)
    for r in recorded:
        if r.deliveries:
            services.enqueue(r.deliveries, r.tenant_id)
        if r.email:
            send_alert_email.apply_async((r.firing_id, r.tenant_id))
    return recorded


def load_history(engine: AlertEngine) -> None:
    for (exchange, symbol, interval), bars in engine.history_needed().items():
        rows = selectors.klines(
            exchange=exchange, symbol=symbol, interval=interval, start_ms=None, end_ms=None, limit=bars
        )
        engine.seed(
            (exchange, symbol, interval),
            [
                KlineIn(
                    exchange,
                    symbol,
                    interval,
                    k.open_time,
                    float(k.close),
                    float(k.high),
                    float(k.low),
                    float(k.volume),
                    True,
                )
                for k in rows
            ],
        )


async def _fetch_some(sub: Any, batch: int) -> list[Msg]:
    """Wait up to 50 ms for one message (klines and events are looked at in between); take
    more only when the server says more are pending, so a lone trade pays no follow-up fetch."""
    try:
        msgs: list[Msg] = await sub.fetch(1, timeout=0.05)
    except (TimeoutError, nats.errors.TimeoutError):
        return []
    pending = msgs[-1].metadata.num_pending if msgs else 0
    if pending and batch > 1:
        with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
            msgs += await sub.fetch(min(batch - 1, pending), timeout=0.002)
    return msgs


class AlertEngineWorker:
    def __init__(self, ctx: WorkerContext, partition: Partition) -> None:
        self.ctx = ctx
        self.partition = partition
        self.engine = AlertEngine()
        self.signature: Any = None
        self.klines: asyncio.Queue[bytes] = asyncio.Queue(maxsize=100_000)
        self.events: asyncio.Queue[tuple[str, int, dict[str, Any]]] = asyncio.Queue(maxsize=100_000)

    async def reload_if_changed(self) -> None:
        signature = await sync_to_async(services.rules_signature)()
        if signature == self.signature:
            return
        rules = await sync_to_async(services.active_rules)(self.partition.owns)
        self.engine.replace_rules(rules)
        await sync_to_async(load_history)(self.engine)
        self.signature = signature
        self.ctx.log.info("alerts.rules_loaded", rules=len(rules), fingerprint=services.rules_fingerprint(signature))

    async def _reloader(self) -> None:
        interval_s = settings.CONFIG.alerts.reload_interval_ms / 1000
        while not self.ctx.stop.is_set():
            try:
                await self.reload_if_changed()
            except Exception:  # a transient DB error must not stop the engine
                self.ctx.log.exception("alerts.reload_failed")
            await asyncio.sleep(interval_s)

    async def _on_kline(self, msg: Msg) -> None:
        if self.klines.full():
            return  # shed live updates rather than grow without bound
        self.klines.put_nowait(msg.data)

    async def _on_event(self, msg: Msg) -> None:
        parts = msg.subject.split(".")
        kind = _EVENT_KIND.get(parts[-3])
        try:
            data = json.loads(msg.data)
            tenant_id = int(parts[-2])
        except (ValueError, IndexError):
            return
        if kind == "drawdown_breached" and not (
            isinstance(data, dict) and data.get("breaker_tripped") is True and data.get("reason") == "drawdown_breaker"
        ):
            return  # other account risk changes (kill switch, reset) are not a breach
        if kind is not None and isinstance(data, dict) and not self.events.full():
            self.events.put_nowait((kind, tenant_id, data))

    async def run(self) -> None:
        subjects = self.ctx.bus.subjects
        await self.reload_if_changed()
        sub = await self.ctx.bus.pull_consumer(
            stream=subjects.stream_name("MD_TRADES"),
            durable=self.ctx.name.replace(".", "_"),
            filter_subject=subjects.trades(),
            deliver_new_only=True,
        )
        nc = self.ctx.bus.nc
        await nc.subscribe(subjects.klines(), cb=self._on_kline)
        prefix = f"{subjects.namespace}." if subjects.namespace else ""
        await nc.subscribe(f"{prefix}trading.fill.*.*", queue="alert-engine", cb=self._on_event)
        await nc.subscribe(f"{prefix}strategy.error.*.*", queue="alert-engine", cb=self._on_event)
        await nc.subscribe(f"{prefix}trading.account.*.*", queue="alert-engine", cb=self._on_event)
        await nc.subscribe(f"{prefix}billing.subscription_lapsed.*.*", queue="alert-engine", cb=self._on_event)
        reloader = asyncio.create_task(self._reloader())
        batch = settings.CONFIG.alerts.fetch_batch
        try:
            while not self.ctx.stop.is_set():
                messages = await _fetch_some(sub, batch)
                firings = evaluate_batch(self.engine, [m.data for m in messages], self.partition)
                now_ms = int(time.time() * 1000)
                while not self.klines.empty():
                    k = kline_in(self.klines.get_nowait())
                    if k is not None and self.partition.owns(k.exchange, k.symbol):
                        firings.extend(self.engine.on_kline(k, now_ms))
                event_jobs: list[tuple[int, str, dict[str, Any]]] = []
                while not self.events.empty():
                    kind, tenant_id, data = self.events.get_nowait()
                    if self.partition.index == 0 or self.partition.count == 1:
                        firings.extend(self.engine.on_event(tenant_id, kind, data, now_ms))
                    event_jobs.append((tenant_id, kind, data))
                if firings or event_jobs:
                    await self._dispatch(firings, event_jobs)
                if messages:
                    await asyncio.gather(*(m.ack() for m in messages))
        finally:
            reloader.cancel()

    async def _dispatch(self, firings: list[Firing], event_jobs: list[tuple[int, str, dict[str, Any]]]) -> None:
        finished = self.engine.finished()
        recorded = await sync_to_async(record_and_dispatch)(firings, finished) if firings else []
        for job in event_jobs:
            await sync_to_async(_emit_platform_event)(*job)
        for r in recorded:
            if r.in_app:
                await self.ctx.bus.publish_core(
                    self.ctx.bus.subjects.alert_fired(r.tenant_id), json.dumps(r.payload).encode()
                )
        if finished:
            # Their rows are now inactive; drop them from the index at once.
            self.engine.replace_rules([rule for rule in self.engine.rules.values() if not rule.done])


_EVENT_KIND = {
    "fill": "order_filled",
    "error": "deployment_errored",
    "account": "drawdown_breached",
    "subscription_lapsed": "subscription_lapsed",
}
_PLATFORM_EVENT = {
    "order_filled": services.ORDER_FILLED,
    "deployment_errored": services.DEPLOYMENT_ERRORED,
    "drawdown_breached": services.DRAWDOWN_BREACHED,
    "subscription_lapsed": services.SUBSCRIPTION_LAPSED,
}


def _emit_platform_event(tenant_id: int, kind: str, data: dict[str, Any]) -> None:
    ids = services.emit_event(tenant_id, _PLATFORM_EVENT[kind], data)
    services.enqueue(ids, tenant_id)


async def run_alert_engine(ctx: WorkerContext, partition: Partition) -> None:
    await AlertEngineWorker(ctx, partition).run()
