"""Publishes the simulated exchange's trades on the bus in real time."""

from __future__ import annotations

import asyncio
import contextlib
import time

import msgspec

from backend.engine.market.codec import encode_trades
from backend.engine.sim.generator import SimExchange
from backend.ops.metrics import BUS_PUBLISHED
from backend.ops.worker import WorkerContext

PUBLISH_INTERVAL_S = 0.1


async def run_sim_feed(ctx: WorkerContext, sim: SimExchange, symbols: list[str]) -> None:
    cursor_ms = int(time.time() * 1000)
    published = 0
    while not ctx.stop.is_set():
        now_ms = int(time.time() * 1000)
        for symbol in symbols:
            batch = list(sim.trades(symbol, cursor_ms, now_ms))
            if not batch:
                continue
            batch = [msgspec.structs.replace(trade, recv_ms=now_ms) for trade in batch]
            # The id names the exact trades, so a batch re-sent after a restart is
            # dropped by JetStream's duplicate window instead of stored twice.
            msg_id = f"sim:{symbol}:{batch[0].trade_id}:{batch[-1].trade_id}"
            await ctx.bus.publish(ctx.bus.subjects.trade("sim", symbol), encode_trades(batch), msg_id=msg_id)
            BUS_PUBLISHED.labels("MD_TRADES").inc()
            published += len(batch)
        cursor_ms = now_ms
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stop.wait(), timeout=PUBLISH_INTERVAL_S)
    ctx.log.info("sim_feed.stopped", trades_published=published)
