"""The aggregator worker's loop: trades from JetStream -> stored trades and klines -> kline messages.

Live kline updates are published from memory as soon as trades arrive (see
engine/aggregate/live.py); closes and revisions only from committed state. Messages
are acknowledged only after their batch's transaction commits, so a crash
(even kill -9) redelivers them; storing is idempotent, so redelivery never doubles a
trade or a volume. Scale-out: N instances share the markets by NATS subject
partitioning (see _consumer_filter), or, where the server has no partition mapping, by
crc32("exchange.symbol") % N, each acknowledging the other markets' messages unprocessed.
"""

from __future__ import annotations

import asyncio
import sys
import time
import zlib
from dataclasses import dataclass

import msgspec
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from nats.aio.msg import Msg

from backend.engine.aggregate.klines import Kline
from backend.engine.aggregate.live import LiveKlines
from backend.engine.aggregate.publish import KlineEvent, KlinePublisher
from backend.engine.market.codec import decode_trades
from backend.engine.market.trade import InvalidTrade, Trade, validate
from backend.marketdata.services import LatenessGate, ingest_trades
from backend.ops.metrics import (
    BUS_MALFORMED,
    KLINE_LAG,
    KLINES_PUBLISHED,
    TRADES_DUPLICATE,
    TRADES_STORED,
    TRADES_TOO_LATE,
)
from backend.ops.worker import WorkerContext, WorkerMisconfigured

log = structlog.get_logger(__name__)

# Batches received but not yet stored; past this the receiving stage waits (and
# JetStream holds the rest), which bounds memory and the redelivery after a crash.
MAX_BATCHES_IN_FLIGHT = 256
# Trades' exchange clocks may run a little ahead of ours: a window is taken as opened
# after this process started only if it opened this much later.
TRUST_MARGIN_MS = 2_000
# Throttled updates and quiet markets' closes are looked for this often (every open
# window is visited, so not on every loop turn).
TICK_MS = 50


@dataclass(frozen=True)
class Partition:
    index: int = 0
    count: int = 1

    def owns(self, exchange: str, symbol: str) -> bool:
        return self.count == 1 or zlib.crc32(f"{exchange}.{symbol}".encode()) % self.count == self.index


class KlineMessage(msgspec.Struct, frozen=True):
    exchange: str
    symbol: str
    interval: str
    open_time: int
    close_time: int
    open: str
    high: str
    low: str
    close: str
    volume: str
    quote_volume: str
    trades: int
    closed: bool
    revision: bool
    # Receive time of the newest trade this update carries, when it was published
    # straight from that trade's batch (0 for throttled or timer-driven messages):
    # subscribers can measure end-to-end freshness from it.
    source_recv_ms: int = 0


_encoder = msgspec.json.Encoder()


def kline_message(event: KlineEvent, source_recv_ms: int = 0) -> bytes:
    k: Kline = event.kline
    return _encoder.encode(
        KlineMessage(
            k.exchange,
            k.symbol,
            k.interval,
            k.open_time,
            k.close_time,
            str(k.open),
            str(k.high),
            str(k.low),
            str(k.close),
            str(k.volume),
            str(k.quote_volume),
            k.trades,
            event.closed,
            event.revision,
            source_recv_ms,
        )
    )


def _decode(payload: bytes, consumer: str) -> list[Trade] | None:
    try:
        return [validate(t) for t in decode_trades(payload)]
    except (msgspec.DecodeError, msgspec.ValidationError, InvalidTrade) as exc:
        BUS_MALFORMED.labels(consumer).inc()
        log.warning("aggregator.malformed_message", error=str(exc), sample=payload[:200].decode(errors="replace"))
        return None


@dataclass
class _Batch:
    id: int
    messages: list[Msg]
    trades: list[Trade]
    recv_ms: dict[tuple[str, str], int]


async def run_aggregator(ctx: WorkerContext, partition: Partition) -> None:
    """Two stages joined by a bounded queue: the receiving stage folds each batch into
    memory and publishes live updates at once; the storing stage commits batches in
    order, publishes closes and revisions from what was committed, then acknowledges."""
    md = settings.CONFIG.marketdata
    subjects = ctx.bus.subjects
    filter_subject, partition = await _consumer_filter(ctx, partition)
    sub = await ctx.bus.pull_consumer(
        stream=subjects.stream_name("MD_TRADES"), durable=ctx.name, filter_subject=filter_subject
    )
    # The storing stage's Python work shares the GIL with this loop; a shorter switch
    # interval keeps it from holding live updates back by the default 5 ms slices.
    sys.setswitchinterval(0.0005)
    now_ms = int(time.time() * 1000)
    live = LiveKlines(trusted_from_ms=now_ms + TRUST_MARGIN_MS)
    live_updates = KlinePublisher(throttle_ms=md.publish_throttle_ms, close_grace_ms=md.close_grace_ms)
    committed = KlinePublisher(throttle_ms=md.publish_throttle_ms, close_grace_ms=md.close_grace_ms)
    gate = LatenessGate(md.late_window_ms)
    queue: asyncio.Queue[_Batch | None] = asyncio.Queue(maxsize=MAX_BATCHES_IN_FLIGHT)
    storing = asyncio.create_task(_store(ctx, queue, live, committed))
    batch_id = 0
    ticked_ms = 0
    try:
        while not ctx.stop.is_set():
            if storing.done():
                break  # its exception is raised below
            messages = await ctx.bus.fetch_available(sub, md.fetch_batch, idle_timeout_s=0.25)
            trades: list[Trade] = []
            for message in messages:
                decoded = _decode(message.data, ctx.name)
                if decoded:
                    trades.extend(t for t in decoded if partition.owns(t.exchange, t.symbol))
            kept, dropped = gate.split(trades)
            for trade in dropped:
                TRADES_TOO_LATE.labels(trade.exchange).inc()
            recv_ms: dict[tuple[str, str], int] = {}
            for trade in kept:
                market = (trade.exchange, trade.symbol)
                recv_ms[market] = max(recv_ms.get(market, 0), trade.recv_ms)
            now_ms = int(time.time() * 1000)
            events: list[KlineEvent] = []
            if messages:
                batch_id += 1
                for kline in live.add(batch_id, kept):
                    events.extend(e for e in live_updates.update(kline, now_ms) if not e.closed)
                await _publish(ctx, events, recv_ms)
                await queue.put(_Batch(batch_id, messages, kept, recv_ms))
            if now_ms - ticked_ms >= TICK_MS:
                ticked_ms = now_ms
                due = [e for e in live_updates.tick(now_ms) if not e.closed]
                due += [e for e in committed.tick(now_ms) if e.closed]
                await _publish(ctx, due, {})
    finally:
        if not storing.done():
            await queue.put(None)  # store and acknowledge what was received, then stop
        await storing


async def _consumer_filter(ctx: WorkerContext, partition: Partition) -> tuple[str, Partition]:
    """The consumer's filter subject, and the partition still to be checked per trade.

    With nats.trade_partitions > 1 the server's subject mapping appends a partition
    token to every trade subject, and an instance's consumer filters on its own token:
    it never receives the other markets. Without it, each instance reads the whole
    stream and keeps its markets by hashing (correct, but every instance pays for all).
    """
    subjects = ctx.bus.subjects
    configured = settings.CONFIG.nats.trade_partitions
    if partition.count == 1:
        return subjects.trades(), partition
    if configured == 1:
        ctx.log.warning("aggregator.client_side_partitioning", partitions=partition.count)
        return subjects.trades(), partition
    if configured != partition.count:
        raise WorkerMisconfigured(
            f"--partitions {partition.count} does not match nats.trade_partitions {configured}: "
            f"run {configured} aggregators with --partitions {configured}"
        )
    served = await ctx.bus.trade_partitions()
    if served != configured:
        raise WorkerMisconfigured(
            f"nats.trade_partitions is {configured} but the NATS server maps trades into {served} partition(s): "
            f"add the output of `python manage.py nats_mappings {configured}` to the server's configuration "
            "and reload it (nats-server --signal reload)"
        )
    return subjects.trade_partition(partition.index), Partition()


async def _store(
    ctx: WorkerContext, queue: asyncio.Queue[_Batch | None], live: LiveKlines, committed: KlinePublisher
) -> None:
    """Store received batches in order; whatever queued up meanwhile goes into one
    transaction, so a slow commit makes the next one bigger rather than falling behind."""
    ingest = sync_to_async(ingest_trades, thread_sensitive=True)
    interval_s = settings.CONFIG.marketdata.store_interval_ms / 1000
    last_store = 0.0
    stopping = False
    while not stopping:
        first = await queue.get()
        if first is None:
            return
        # Let batches gather between transactions; a stop waits out at most one interval.
        await asyncio.sleep(max(0.0, last_store + interval_s - time.monotonic()))
        batches = [first]
        while not queue.empty():
            more = queue.get_nowait()
            if more is None:
                stopping = True
                break
            batches.append(more)
        trades = [trade for batch in batches for trade in batch.trades]
        events: list[KlineEvent] = []
        if trades:
            result = await ingest(trades)
            TRADES_STORED.labels(trades[0].exchange).inc(result.stored)
            TRADES_DUPLICATE.labels(trades[0].exchange).inc(result.duplicates)
            stored_klines = [kline for kline, _version in result.klines]
            live.commit((batch.id for batch in batches), stored_klines)
            now_ms = int(time.time() * 1000)
            for kline in stored_klines:
                events.extend(e for e in committed.update(kline, now_ms) if e.closed)
        else:
            live.forget(batch.id for batch in batches)
        # Acknowledge only what is committed; malformed, late and other-partition messages too.
        await asyncio.gather(*(message.ack() for batch in batches for message in batch.messages))
        await _publish(ctx, events, {})
        last_store = time.monotonic()


async def _publish(ctx: WorkerContext, events: list[KlineEvent], fresh: dict[tuple[str, str], int]) -> None:
    now_ms = int(time.time() * 1000)
    for event in events:
        k = event.kline
        subject = ctx.bus.subjects.kline(k.interval, k.exchange, k.symbol)
        source_recv_ms = fresh.get((k.exchange, k.symbol), 0)
        if source_recv_ms:
            KLINE_LAG.observe(max(now_ms - source_recv_ms, 0) / 1000)
        payload = kline_message(event, source_recv_ms)
        if event.closed:
            # Closes and revisions are persisted and de-duplicated by content.
            msg_id = f"{k.exchange}:{k.symbol}:{k.interval}:{k.open_time}:{k.trades}:{k.close}"
            await ctx.bus.publish(subject, payload, msg_id=msg_id)
            KLINES_PUBLISHED.labels("revision" if event.revision else "closed").inc()
        else:
            await ctx.bus.publish_core(subject, payload)
            KLINES_PUBLISHED.labels("update").inc()
