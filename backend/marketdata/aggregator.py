"""The aggregator worker's loop: trades from JetStream -> stored trades and klines -> kline messages.

Messages are acknowledged only after their batch's transaction commits, so a crash
(even kill -9) redelivers them; storing is idempotent, so redelivery never doubles a
trade or a volume. Scale-out: N instances each own the markets whose
crc32("exchange.symbol") % N equals their index; each has its own durable consumer and
acknowledges the other markets' messages without processing them.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass

import msgspec
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from nats.errors import TimeoutError as NatsTimeout

from backend.engine.aggregate.klines import Kline
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
from backend.ops.worker import WorkerContext

log = structlog.get_logger(__name__)


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


async def run_aggregator(ctx: WorkerContext, partition: Partition) -> None:
    md = settings.CONFIG.marketdata
    subjects = ctx.bus.subjects
    sub = await ctx.bus.pull_consumer(
        stream=subjects.stream_name("MD_TRADES"), durable=ctx.name, filter_subject=subjects.trades()
    )
    gate = LatenessGate(md.late_window_ms)
    publisher = KlinePublisher(throttle_ms=md.publish_throttle_ms, close_grace_ms=md.close_grace_ms)
    ingest = sync_to_async(ingest_trades, thread_sensitive=True)
    while not ctx.stop.is_set():
        try:
            messages = await sub.fetch(md.fetch_batch, timeout=0.25)
        except (TimeoutError, NatsTimeout):
            messages = []
        trades: list[Trade] = []
        for message in messages:
            decoded = _decode(message.data, ctx.name)
            if decoded:
                trades.extend(t for t in decoded if partition.owns(t.exchange, t.symbol))
        events: list[KlineEvent] = []
        fresh: dict[tuple[str, str], int] = {}
        if trades:
            kept, dropped = gate.split(trades)
            for trade in dropped:
                TRADES_TOO_LATE.labels(trade.exchange).inc()
            result = await ingest(kept)
            if kept:
                TRADES_STORED.labels(kept[0].exchange).inc(result.stored)
                TRADES_DUPLICATE.labels(kept[0].exchange).inc(result.duplicates)
            for trade in kept:
                market = (trade.exchange, trade.symbol)
                fresh[market] = max(fresh.get(market, 0), trade.recv_ms)
            now_ms = int(time.time() * 1000)
            for kline, _version in result.klines:
                events.extend(publisher.update(kline, now_ms))
        # Acknowledge only what is committed; malformed and other-partition messages too.
        await asyncio.gather(*(message.ack() for message in messages))
        await _publish(ctx, events, fresh)
        await _publish(ctx, publisher.tick(int(time.time() * 1000)), {})


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
