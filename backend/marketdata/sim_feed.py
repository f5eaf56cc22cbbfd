"""Publishing normalized trades on the bus, and the simulated exchange's live feed."""

from __future__ import annotations

import asyncio
import contextlib
import time

import msgspec

from backend.engine.market.codec import encode_trades
from backend.engine.market.trade import Trade
from backend.engine.sim.generator import SimExchange
from backend.ops.metrics import BUS_PUBLISHED
from backend.ops.worker import WorkerContext

PUBLISH_INTERVAL_S = 0.1


async def publish_trades(ctx: WorkerContext, exchange: str, symbol: str, trades: list[Trade]) -> None:
    """One bus message per batch; its id names the exact trades, so a batch re-sent
    after a restart is dropped by JetStream's duplicate window instead of stored twice."""
    msg_id = f"{exchange}:{symbol}:{trades[0].trade_id}:{trades[-1].trade_id}"
    await ctx.bus.publish(ctx.bus.subjects.trade(exchange, symbol), encode_trades(trades), msg_id=msg_id)
    BUS_PUBLISHED.labels("MD_TRADES").inc()


async def run_sim_feed(ctx: WorkerContext, sim: SimExchange, symbols: list[str]) -> None:
    cursor_ms = int(time.time() * 1000)
    published = 0
    while not ctx.stop.is_set():
        now_ms = int(time.time() * 1000)
        batches = {}
        for symbol in symbols:
            batch = [msgspec.structs.replace(t, recv_ms=now_ms) for t in sim.trades(symbol, cursor_ms, now_ms)]
            if batch:
                batches[symbol] = batch
                published += len(batch)
        # Concurrently, so the last symbol's trades are not held back by the others' acks.
        await asyncio.gather(*(publish_trades(ctx, "sim", symbol, batch) for symbol, batch in batches.items()))
        cursor_ms = now_ms
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stop.wait(), timeout=PUBLISH_INTERVAL_S)
    ctx.log.info("sim_feed.stopped", trades_published=published)
