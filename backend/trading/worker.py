"""The `paper_engine` worker: the single owner of live paper-trading state.

One asyncio loop, one engine. Two sources feed one queue, so commands and trades are
applied in the order they arrive:
- order commands from the API (NATS request/reply on trading.cmd.<partition>);
- trade batches from JetStream (durable pull consumer on md.trade.>).

Each turn takes everything queued, applies it to the engine, writes all resulting
events in ONE transaction (services.persist_batch), and only then replies to the API,
acknowledges the trade messages and publishes fills / orders / positions on core NATS.
Whatever arrives while a transaction commits forms the next, larger batch (group
commit), so throughput grows with load instead of paying one commit per order.

Exactly once: the newest trade applied per market is committed with the events it
caused (MarketState), and a redelivered or republished trade at or before it is
skipped; with deterministic fill ids (ON CONFLICT DO NOTHING) a kill -9 anywhere
neither loses nor doubles a fill. Publishing is at most once (after commit; the
ledger is the truth, the bus is a notification).

Scale-out: accounts are split by id % trading.partitions; each instance reads every
trade (any account may trade any market) and serves its own accounts' commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
import nats
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from backend.engine.market.codec import decode_trades
from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.engine.trading import (
    BalanceChanged,
    Event,
    Fill,
    MarketSpec,
    OrderAccepted,
    OrderRejected,
    OrderRequest,
    OrderType,
    OrderUpdated,
    RiskStateChanged,
    TimeInForce,
)
from backend.engine.trading.spec import ZERO
from backend.marketdata import instruments
from backend.ops.metrics import BUS_MALFORMED
from backend.ops.worker import WorkerContext
from backend.trading import selectors, services, wire
from backend.trading.state import LiveEngine, fresh_snapshot, risk_limits

log = structlog.get_logger(__name__)

# Trade batches fetched but not yet committed and acknowledged: bounds memory and redelivery.
MAX_TRADE_BATCHES_IN_FLIGHT = 64
_encode = msgspec.json.Encoder(decimal_format="string").encode


@dataclass
class _Item:
    kind: str  # "cmd" or "trades"
    msgs: list[Msg]


@dataclass
class _Turn:
    batch: services.Batch = field(default_factory=services.Batch)
    replies: list[tuple[Msg, bytes]] = field(default_factory=list)
    acks: list[Msg] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


def _risk_state(snap: Any) -> tuple[Any, ...]:
    return (snap.peak_equity, snap.day, snap.day_start_equity, snap.breaker_tripped, snap.kill_switch)


def market_spec(instrument: Instrument) -> MarketSpec:
    """The engine's view of a market: the instrument and its exchange's minimum order value."""
    return MarketSpec(instrument, instrument.min_notional or ZERO)


def now_ms() -> int:
    return int(time.time() * 1000)


class PaperEngineWorker:
    def __init__(self, ctx: WorkerContext, partition: int, partitions: int) -> None:
        self.ctx = ctx
        self.partition = partition
        self.partitions = partitions
        self.engine = LiveEngine()
        self.tenants: dict[str, int] = {}  # engine account id -> tenant id
        self.rows: dict[str, Any] = {}  # engine account id -> PaperAccount row (config for resets)
        self.persisted: dict[str, tuple[Any, ...]] = {}  # risk state as last written
        self.cursors: dict[tuple[str, str], tuple[int, int]] = {}  # newest (ts, trade id) applied
        self.unlisted: dict[tuple[str, str], tuple[Decimal, int]] = {}  # prices of markets not added yet
        self.queue: asyncio.Queue[_Item] = asyncio.Queue()
        self.slots = asyncio.Semaphore(MAX_TRADE_BATCHES_IN_FLIGHT)

    # == start-up =============================================================================
    def _load(self) -> None:
        """Markets, last prices and cursors, and this partition's accounts (sync: runs in the DB thread)."""
        for instrument in instruments.all_instruments():
            self.engine.add_market(market_spec(instrument))
        for (exchange, symbol), (price, ts, trade_id) in selectors.market_states().items():
            self.cursors[(exchange, symbol)] = (ts, trade_id)
            self.engine.set_last_price(exchange, symbol, price, ts)
        seq = selectors.max_order_seq()
        loaded = selectors.load_accounts(partition=self.partition, partitions=self.partitions)
        for item in loaded:
            self._adopt(item, seq)
        log.info("paper_engine.loaded", accounts=len(loaded), seq=seq)

    def _adopt(self, item: selectors.LoadedAccount, seq: int = 0) -> None:
        for order in item.snapshot.open_orders:
            self._ensure_market(item.snapshot.config.exchange, order.symbol)
        self.engine.restore_account(item.snapshot, seq)
        self.tenants[item.snapshot.account_id] = item.tenant_id
        self.rows[item.snapshot.account_id] = item.starting
        self.persisted[item.snapshot.account_id] = _risk_state(item.snapshot)

    def _ensure_market(self, exchange: str, symbol: str) -> None:
        if self.engine.has_market(exchange, symbol):
            return
        instrument = instruments.get(exchange, symbol)
        if instrument is None:
            return
        self.engine.add_market(market_spec(instrument))
        seen = self.unlisted.pop((exchange, symbol), None)
        if seen is not None:
            self.engine.set_last_price(exchange, symbol, *seen)

    def _prepare(self, commands: list[wire.Command]) -> None:
        """Load accounts created since start (and their markets) before their first command."""
        for cmd in commands:
            account = getattr(cmd, "account", None)
            if account is None:
                continue
            aid = str(account)
            if not self.engine.has_account(aid) and account % self.partitions == self.partition:
                for item in selectors.load_accounts(partition=self.partition, partitions=self.partitions, only=account):
                    self._adopt(item)
            if isinstance(cmd, wire.Submit) and aid in self.rows:
                self._ensure_market(self.rows[aid].exchange, cmd.symbol)

    def _needs_loading(self, cmd: Any) -> bool:
        account = getattr(cmd, "account", None)
        if account is None:
            return False
        aid = str(account)
        if not self.engine.has_account(aid):
            return True
        return isinstance(cmd, wire.Submit) and not self.engine.has_market(self.rows[aid].exchange, cmd.symbol)

    # == the loop ============================================================================
    async def run(self) -> None:
        ctx = self.ctx
        cfg = settings.CONFIG.trading
        await sync_to_async(self._load, thread_sensitive=True)()
        subjects = ctx.bus.subjects
        stream, durable = subjects.stream_name("MD_TRADES"), ctx.name.replace(".", "_")
        sub = await ctx.bus.pull_consumer(
            stream=stream,
            durable=durable,
            filter_subject=subjects.trades(),
            start_seq=await self._resume_point(stream, durable),
        )

        async def on_command(msg: Msg) -> None:
            self.queue.put_nowait(_Item("cmd", [msg]))

        commands = await ctx.bus.nc.subscribe(subjects.trading_command(self.partition), cb=on_command)
        fetcher = asyncio.create_task(self._fetch(sub, cfg.fetch_batch))
        persist = sync_to_async(services.persist_batch, thread_sensitive=True)
        prepare = sync_to_async(self._prepare, thread_sensitive=True)
        record_equity = sync_to_async(services.record_equity, thread_sensitive=True)
        next_sample = time.monotonic() + cfg.equity_sample_interval_s
        try:
            while not ctx.stop.is_set():
                if fetcher.done():
                    fetcher.result()  # raise what stopped it
                try:
                    first = await asyncio.wait_for(self.queue.get(), timeout=0.25)
                    items = [first]
                    while not self.queue.empty():
                        items.append(self.queue.get_nowait())
                except TimeoutError:
                    items = []
                if items:
                    await self._turn(items, persist, prepare)
                if time.monotonic() >= next_sample:
                    next_sample = time.monotonic() + cfg.equity_sample_interval_s
                    ts = now_ms()
                    # Closed accounts stay in `tenants` (their last events still name the
                    # tenant); only accounts the engine holds are sampled.
                    samples = [
                        (aid, t, ts, self.engine.equity(aid)) for aid, t in self.tenants.items() if aid in self.rows
                    ]
                    if samples:
                        await record_equity(samples)
        finally:
            fetcher.cancel()
            await commands.unsubscribe()

    async def _resume_point(self, stream: str, durable: str) -> int:
        """Where this engine's trade consumer starts: the first unacknowledged message.

        Messages a killed engine had received but not acknowledged would otherwise come
        back only after the ack wait, behind newer ones, and the per-market cursor would
        skip them as old. Recreating the consumer at its ack floor delivers them again
        first, in stream order (those already committed are skipped by the cursor). A new
        engine starts after the stream's last message, not from days of history.
        """
        js = self.ctx.bus.js
        try:
            info = await js.consumer_info(stream, durable)
        except NotFoundError:
            return int((await js.stream_info(stream)).state.last_seq) + 1
        start = max(info.ack_floor.stream_seq + 1 if info.ack_floor else 1, info.config.opt_start_seq or 1)
        await js.delete_consumer(stream, durable)
        log.info("paper_engine.resume", stream_seq=start, pending=info.num_ack_pending)
        return int(start)

    async def _fetch(self, sub: Any, batch: int) -> None:
        while not self.ctx.stop.is_set():
            await self.slots.acquire()
            msgs = await self._fetch_some(sub, batch)
            if msgs:
                self.queue.put_nowait(_Item("trades", msgs))
            else:
                self.slots.release()

    @staticmethod
    async def _fetch_some(sub: Any, batch: int) -> list[Msg]:
        """Wait for one message; take more only when the server says more are pending.

        (Bus.fetch_available always spends a short follow-up fetch; on a quiet stream that
        is pure latency between a print and the fills it causes.)
        """
        try:
            msgs: list[Msg] = await sub.fetch(1, timeout=0.25)
        except (TimeoutError, nats.errors.TimeoutError):
            return []
        pending = msgs[-1].metadata.num_pending if msgs else 0
        if pending and batch > 1:
            with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
                msgs += await sub.fetch(min(batch - 1, pending), timeout=0.002)
        return msgs

    async def _turn(self, items: list[_Item], persist: Any, prepare: Any) -> None:
        turn = _Turn()
        decoded: list[tuple[_Item, Any]] = []
        for item in items:
            if item.kind == "cmd":
                try:
                    decoded.append((item, wire.command_decoder.decode(item.msgs[0].data)))
                except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                    decoded.append((item, wire.Reply(ok=False, code="malformed_command", message=str(exc))))
            else:
                decoded.append((item, None))
        commands = [c for _, c in decoded if c is not None and not isinstance(c, wire.Reply)]
        if any(self._needs_loading(c) for c in commands):
            await prepare(commands)
        for item, cmd in decoded:
            if item.kind == "trades":
                self._apply_trades(item.msgs, turn)
                turn.acks.extend(item.msgs)
                continue
            reply = cmd if isinstance(cmd, wire.Reply) else self._command(cmd, turn)
            turn.replies.append((item.msgs[0], wire.command_encoder.encode(reply)))
        batch = turn.batch
        states: dict[str, tuple[Any, ...]] = {}
        for aid in turn.touched:
            if self.engine.has_account(aid):
                snap = batch.accounts[aid] = self.engine.account_snapshot(aid)
                # Risk state changes rarely (peak equity moves only for accounts with drawdown or
                # daily-loss limits): write the account row only when it did.
                states[aid] = _risk_state(snap)
                if states[aid] != self.persisted.get(aid) or aid in batch.risk_limits:
                    batch.state_changed.add(aid)
        if batch:
            await persist(batch, self.tenants)
            self.persisted.update(states)
        for msg, data in turn.replies:
            if msg.reply:
                await msg.respond(data)
        if turn.acks:
            await asyncio.gather(*(m.ack() for m in turn.acks))
            for _ in range(sum(1 for i in items if i.kind == "trades")):
                self.slots.release()
        await self._publish(batch)

    # == trades ==============================================================================
    def _apply_trades(self, msgs: list[Msg], turn: _Turn) -> None:
        engine, cursors, batch = self.engine, self.cursors, turn.batch
        for msg in msgs:
            try:
                trades: list[Trade] = [validate(t) for t in decode_trades(msg.data)]
            except (msgspec.DecodeError, msgspec.ValidationError, InvalidTrade) as exc:
                BUS_MALFORMED.labels(self.ctx.name).inc()
                log.warning("paper_engine.malformed_trades", error=str(exc))
                continue
            for t in trades:
                key = (t.exchange, t.symbol)
                mark = (t.ts_ms, t.trade_id)
                seen = cursors.get(key)
                if seen is not None and mark <= seen:
                    continue  # already applied (redelivery after a crash, or a republished batch)
                cursors[key] = mark
                if not engine.has_market(*key):
                    self.unlisted[key] = (t.price, t.ts_ms)
                    continue
                batch.markets[key] = (t.price, t.ts_ms, t.trade_id)
                events = engine.on_trade(t)
                if events:
                    self._collect(events, turn)

    def _collect(self, events: list[Event], turn: _Turn) -> None:
        turn.batch.events.extend(events)
        for event in events:
            aid = event.account_id
            turn.touched.add(aid)
            if isinstance(event, Fill):
                turn.batch.positions_changed.add(aid)

    # == commands ============================================================================
    def _command(self, cmd: Any, turn: _Turn) -> wire.Reply:
        if isinstance(cmd, wire.Ping):
            return wire.Reply(ok=True)
        aid = str(cmd.account)
        if not self.engine.has_account(aid):
            return wire.Reply(ok=False, code="unknown_account", message="no such active account in this engine")
        ts = now_ms()
        engine = self.engine
        if isinstance(cmd, wire.Submit):
            request = OrderRequest(
                symbol=cmd.symbol,
                side=Side(cmd.side),
                qty=cmd.qty,
                type=OrderType(cmd.type),
                price=cmd.price,
                stop_price=cmd.stop_price,
                tif=TimeInForce(cmd.tif),
                reduce_only=cmd.reduce_only,
                client_order_id=cmd.client_order_id,
                trail_offset=cmd.trail_offset,
                trail_bps=cmd.trail_bps,
            )
            result = engine.submit(aid, request, ts_ms=ts)
            self._collect(result.events, turn)
            turn.touched.add(aid)
            return wire.Reply(
                ok=result.accepted or result.duplicate,
                code=None if result.accepted else result.reason,
                order=wire.order_out(result.order, cmd.account),
                duplicate=result.duplicate,
            )
        if isinstance(cmd, wire.Cancel):
            cancelled = engine.cancel(aid, cmd.order_id, ts_ms=ts)
            self._collect(cancelled.events, turn)
            order = wire.order_out(cancelled.order, cmd.account) if cancelled.order is not None else None
            if not cancelled.cancelled:
                return wire.Reply(ok=False, code="order_not_open", order=order)
            return wire.Reply(ok=True, order=order)
        if isinstance(cmd, wire.CancelAll):
            events = engine.cancel_all(aid, cmd.symbol, ts_ms=ts)
            self._collect(events, turn)
            orders = [wire.order_out(e.order, cmd.account) for e in events if isinstance(e, OrderUpdated)]
            return wire.Reply(ok=True, orders=orders)
        if isinstance(cmd, wire.Configure):
            if cmd.risk_limits is not None:
                engine.set_risk_limits(aid, risk_limits(cmd.risk_limits))
                turn.batch.risk_limits[aid] = cmd.risk_limits
                self.rows[aid].risk_limits = cmd.risk_limits
            if cmd.kill_switch is not None:
                self._collect(engine.set_kill_switch(aid, cmd.kill_switch, ts_ms=ts), turn)
            if cmd.reset_breaker:
                self._collect(engine.reset_breaker(aid, ts_ms=ts), turn)
            turn.touched.add(aid)
            return wire.Reply(ok=True)
        if isinstance(cmd, wire.Reset):
            return self._reset(aid, ts, turn)
        if isinstance(cmd, wire.Close):
            self._collect(engine.cancel_all(aid, ts_ms=ts), turn)
            engine.drop_account(aid)
            turn.batch.closed.add(aid)
            turn.touched.discard(aid)
            self.rows.pop(aid, None)
            return wire.Reply(ok=True)
        return wire.Reply(ok=False, code="unknown_command")

    def _reset(self, aid: str, ts: int, turn: _Turn) -> wire.Reply:
        """Cancel everything, then the account as opened: starting cash, no positions."""
        engine = self.engine
        events = engine.cancel_all(aid, ts_ms=ts)
        before = engine.account_snapshot(aid)
        engine.drop_account(aid)
        row = self.rows[aid]
        fresh = fresh_snapshot(row, before.next_order)
        if before.kill_switch:  # a user's switch, not trading state: it survives a reset
            fresh = dataclasses.replace(fresh, kill_switch=True)
        engine.restore_account(fresh)
        for asset in before.balances:
            if asset not in fresh.balances:
                events.append(BalanceChanged(aid, asset, Decimal(0), Decimal(0), ts))
        for asset, (free, locked) in fresh.balances.items():
            events.append(BalanceChanged(aid, asset, free, locked, ts))
        self._collect(events, turn)
        turn.touched.add(aid)
        turn.batch.positions_changed.add(aid)
        turn.batch.resets.add(aid)
        return wire.Reply(ok=True)

    # == after commit ========================================================================
    async def _publish(self, batch: services.Batch) -> None:
        if not batch.events:
            return
        subjects, nc = self.ctx.bus.subjects, self.ctx.bus.nc
        orders: dict[str, Any] = {}
        for event in batch.events:
            aid = event.account_id
            tenant = self.tenants.get(aid)
            if tenant is None:
                continue
            if isinstance(event, Fill):
                payload = _encode(wire.fill_out(event, int(aid)))
                await nc.publish(subjects.trading_event("fill", tenant, int(aid)), payload)
            elif isinstance(event, (OrderAccepted, OrderRejected, OrderUpdated)):
                orders[event.order.order_id] = event
            elif isinstance(event, RiskStateChanged):
                payload = _encode(
                    {
                        "account": int(aid),
                        "breaker_tripped": event.breaker_tripped,
                        "kill_switch": event.kill_switch,
                        "reason": event.reason,
                        "ts_ms": event.ts_ms,
                    }
                )
                await nc.publish(subjects.trading_event("account", tenant, int(aid)), payload)
        for event in orders.values():
            aid = event.order.account_id
            payload = _encode(wire.order_out(event.order, int(aid)))
            await nc.publish(subjects.trading_event("order", self.tenants[aid], int(aid)), payload)
        for aid in batch.positions_changed:
            snap = batch.accounts.get(aid)
            if snap is None:
                continue
            for symbol, p in snap.positions.items():
                qty = sum((q for q, _, _ in p.lots), Decimal(0))
                cost = sum((q * price for q, price, _ in p.lots), Decimal(0))
                payload = _encode(
                    {
                        "account": int(aid),
                        "symbol": symbol,
                        "qty": qty,
                        "avg_entry": cost / qty if qty else None,
                        "realized_pnl": p.realized,
                        "fees": p.fees,
                    }
                )
                await nc.publish(subjects.trading_event("position", self.tenants[aid], int(aid)), payload)


async def run_paper_engine(ctx: WorkerContext, partition: int, partitions: int) -> None:
    await PaperEngineWorker(ctx, partition, partitions).run()
