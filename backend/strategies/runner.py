"""The strategy_runner worker: closed klines from JetStream -> live deployments -> paper orders.

- Consumes MD_KLINES (durable pull consumer per partition, new messages only on first start).
  Only closed, non-revision klines count: a revision corrects a bar the strategies have
  already acted on, and feeding it again would break batch == stream; the next restart's
  warm-up reads the corrected bar from storage.
- Deployments are indexed by (exchange, symbol, interval); partition i of N owns the
  deployments with id % N == i. The table is polled every second (POLL_INTERVAL_S): a
  deployment that appears, changes (config_version) or leaves `running` is built, rebuilt or
  dropped without a restart. Building replays warm-up bars from storage (decisions only
  start with live bars, except on stored bars after the last one the deployment acted on:
  those are decided and the decision executed at once, under that bar's client order id).
- A change of target becomes a market order through the paper engine's normal command path
  (NATS request/reply, risk checks apply), with client_order_id dep<id>-<bar open ms>, so a
  redelivered bar cannot trade twice. Each decision is stored as a Signal and published.
- A strategy that fails (a classified SandboxError) takes only its deployment to `errored`
  with the code, published on strategy.error.<tenant>.<id>; the rest keep running.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
import numpy as np
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings

from backend.bus.client import Bus
from backend.engine.live import Decision, LiveDeployment, Member, evaluate_all, parse_sizing
from backend.engine.live.sizing import sizing_warmup
from backend.engine.market.intervals import duration_ms
from backend.engine.sandbox import SandboxError, parse_manifest
from backend.engine.trading.funds import floor_quotient
from backend.marketdata import instruments
from backend.marketdata.aggregator import KlineMessage
from backend.marketdata.selectors import kline_ohlcv
from backend.ops.worker import WorkerContext
from backend.strategies import selectors, services
from backend.strategies.models import DeploymentStatus, Signal
from backend.strategies.sandbox import sandbox_for
from backend.trading import gateway, wire

log = structlog.get_logger(__name__)
_kline = msgspec.json.Decoder(KlineMessage)
_json = msgspec.json.Encoder(decimal_format="string")
ZERO = Decimal(0)
# Market orders fill at the last trade, not the kline close it was sized at: keep buys inside the cash.
BUY_PRICE_GUARD = Decimal("1.002")
# How soon a created, started, paused or stopped deployment takes effect (one indexed query per poll).
POLL_INTERVAL_S = 1.0


@dataclass(frozen=True)
class Partition:
    index: int = 0
    count: int = 1


@dataclass
class Live:
    id: int
    tenant_id: int
    version: int
    market: tuple[str, str, str]
    account_id: int
    margin: bool
    taker_fee: Decimal
    lot: Decimal | None
    max_drawdown: float | None
    peak_equity: Decimal | None
    deployment: LiveDeployment
    logs: list[str] = field(default_factory=list)
    pending: Decision | None = None  # decided on stored bars the previous runner never acted on


def build_live(spec: selectors.DeploymentSpec, now_ms: int) -> Live:
    """Compile, instantiate and warm one deployment (raises SandboxError, ValueError)."""
    row = spec.row
    if not spec.members:
        raise ValueError("a strategy module of this deployment no longer exists")
    sandbox = sandbox_for(services.sandbox_tier(spec.tenant_id))
    members = []
    for src in spec.members:
        manifest = parse_manifest(src.manifest)
        strategy = sandbox.instantiate(sandbox.compile(src.wasm), manifest, src.params)
        members.append(Member(strategy, src.weight))
    sizing = parse_sizing(row.sizing, dict(row.sizing_params))
    deployment = LiveDeployment(
        members,
        sizing,
        allow_short=spec.margin,
        stop_loss=row.stop_loss,
        take_profit=row.take_profit,
        target=row.target_exposure,
        position=row.position_qty,
        entry_price=row.entry_price,
        latched=row.stop_latch,
    )
    warmup = max(deployment.warmup_bars, sizing_warmup(sizing)) + 1
    step = duration_ms(row.interval)
    bars = kline_ohlcv(
        exchange=row.exchange, symbol=row.symbol, interval=row.interval,
        start_ms=now_ms - (warmup + 2) * step, end_ms=now_ms - step, limit=warmup + 2,
    )  # fmt: skip
    pending = None
    if bars:
        arr = np.asarray(bars, dtype=np.float64)[-warmup:]
        # Stored bars after the last one acted on (a runner killed mid-bar, or down while the kline
        # writer went on) are decided, not just warmed: warming them would mark them seen, so their
        # redelivery is skipped and the decision, or the fill of an order already sent, is lost.
        acted = row.last_bar_ms if row.last_bar_ms is not None else int(arr[-1, 0])
        deployment.warm(arr[arr[:, 0] <= acted])
        for i in np.flatnonzero(arr[:, 0] > acted):
            pending = deployment.evaluate(arr[i : i + 1]) or pending
    if row.last_bar_ms is not None:
        deployment.last_bar_ms = max(deployment.last_bar_ms, row.last_bar_ms)
    instrument = instruments.get(row.exchange, row.symbol)
    return Live(
        row.pk, spec.tenant_id, row.config_version, (row.exchange, row.symbol, row.interval), row.account_id,
        spec.margin, spec.taker_fee, instrument.lot_size if instrument else None, row.max_drawdown,
        row.peak_equity, deployment, pending=pending,
    )  # fmt: skip


def _build_all(ids: list[int]) -> tuple[list[Live], list[tuple[int, int, str, str]]]:
    built, failed = [], []
    now_ms = int(time.time() * 1000)
    for spec in selectors.load_deployments(ids):
        try:
            built.append(build_live(spec, now_ms))
        except SandboxError as exc:
            failed.append((spec.row.pk, spec.tenant_id, exc.code, exc.message))
        except ValueError as exc:
            failed.append((spec.row.pk, spec.tenant_id, "module_missing", str(exc)))
    return built, failed


class StrategyRunner:
    def __init__(self, ctx: WorkerContext, partition: Partition) -> None:
        self.ctx = ctx
        self.partition = partition
        self.live: dict[int, Live] = {}
        self.index: dict[tuple[str, str, str], dict[int, Live]] = {}
        self.poll_s = POLL_INTERVAL_S
        self._flattened: set[tuple[int, int]] = set()

    # -- deployments ------------------------------------------------------------------------
    def _add(self, live: Live) -> None:
        self.live[live.id] = live
        self.index.setdefault(live.market, {})[live.id] = live

    def _drop(self, deployment_id: int) -> None:
        live = self.live.pop(deployment_id, None)
        if live is not None:
            group = self.index.get(live.market, {})
            group.pop(deployment_id, None)
            if not group:
                self.index.pop(live.market, None)

    async def sync(self) -> None:
        p = self.partition
        versions = await sync_to_async(selectors.running_versions, thread_sensitive=True)(p.index, p.count)
        for did in list(self.live):
            if versions.get(did) != self.live[did].version:
                self._drop(did)
        new = [did for did in versions if did not in self.live]
        if new:
            built, failed = await sync_to_async(_build_all, thread_sensitive=True)(new)
            for live in built:
                self._add(live)
                log.info("runner.deployment_started", deployment=live.id, market=live.market)
                if live.pending is not None:
                    await self._catch_up(live, live.pending)
            for did, tenant, code, message in failed:
                await self._fail(did, tenant, DeploymentStatus.ERRORED, code, message)
        stopped = await sync_to_async(selectors.stopped_with_position, thread_sensitive=True)(p.index, p.count)
        for row in stopped:
            # Once per stop and process: a close the engine refuses is shown in the signal, not retried in a loop.
            if (row.pk, row.config_version) not in self._flattened:
                self._flattened.add((row.pk, row.config_version))
                await self._flatten(row)

    async def _fail(self, deployment_id: int, tenant_id: int, status: str, code: str, message: str) -> None:
        self._drop(deployment_id)
        await sync_to_async(services.runner_fail, thread_sensitive=True)(
            deployment_id, status=status, code=code, message=message
        )
        payload = _json.encode(
            {"deployment": deployment_id, "status": status, "code": code, "message": message, "ts_ms": _now_ms()}
        )
        await self.ctx.bus.publish_core(
            self.ctx.bus.subjects.strategy_event("error", tenant_id, deployment_id), payload
        )
        log.warning("runner.deployment_failed", deployment=deployment_id, status=status, code=code, message=message)

    # -- bars ---------------------------------------------------------------------------------
    async def on_kline(self, data: bytes) -> None:
        k = _kline.decode(data)
        if not k.closed or k.revision:
            return
        group = self.index.get((k.exchange, k.symbol, k.interval))
        if not group:
            return
        bar = np.array(
            [[k.open_time, float(k.open), float(k.high), float(k.low), float(k.close), float(k.volume)]],
            dtype=np.float64,
        )
        decisions, failures = evaluate_all([(did, live.deployment) for did, live in group.items()], bar)
        for did, exc in failures:
            code = exc.code if isinstance(exc, SandboxError) else "strategy_error"
            message = exc.message if isinstance(exc, SandboxError) else f"{type(exc).__name__}: {exc}"
            await self._fail(did, group[did].tenant_id, DeploymentStatus.ERRORED, code, message)
        watch = [d for d in group.values() if d.max_drawdown is not None]
        if not decisions and not watch:
            return
        price = Decimal(k.close)
        accounts = {group[did].account_id for did, _ in decisions} | {d.account_id for d in watch}
        funds = await sync_to_async(selectors.account_funds, thread_sensitive=True)(
            accounts, {(k.exchange, k.symbol): price}
        )
        chosen = dict(decisions)
        signals: list[Signal] = []
        states: list[services.RunnerState] = []
        for live in watch:
            f = funds.get(live.account_id)
            if f is None or live.id not in self.live:
                continue
            live.peak_equity = f.equity if live.peak_equity is None else max(live.peak_equity, f.equity)
            assert live.max_drawdown is not None
            if live.peak_equity > 0 and (live.peak_equity - f.equity) / live.peak_equity >= Decimal(
                repr(live.max_drawdown)
            ):
                live.deployment.target = 0.0
                chosen[live.id] = Decision(k.open_time, float("nan"), 0.0, "max_drawdown", float(price))
        for did, decision in chosen.items():
            live = group[did]
            signal = await self._execute(live, decision, funds.get(live.account_id), price)
            signals.append(signal)
            states.append(self._state(live))
        for live in watch:
            if live.id not in chosen:
                states.append(self._state(live))
        await sync_to_async(services.runner_save, thread_sensitive=True)(states, signals)
        for signal in signals:
            live = group[signal.deployment_id]
            if signal.reason == "max_drawdown":
                await self._fail(
                    live.id, live.tenant_id, DeploymentStatus.STOPPED, "max_drawdown",
                    f"the account's drawdown since the deployment started reached {live.max_drawdown:.2%}",
                )  # fmt: skip
            await self.ctx.bus.publish_core(
                self.ctx.bus.subjects.strategy_event("signal", live.tenant_id, live.id), _signal_payload(signal)
            )

    async def _catch_up(self, live: Live, decision: Decision) -> None:
        """Execute what the rebuild decided on stored bars; same client order id as a first attempt at that bar."""
        live.pending = None
        price = Decimal(repr(decision.close))
        funds = await sync_to_async(selectors.account_funds, thread_sensitive=True)(
            {live.account_id}, {(live.market[0], live.market[1]): price}
        )
        signal = await self._execute(live, decision, funds.get(live.account_id), price)
        await sync_to_async(services.runner_save, thread_sensitive=True)([self._state(live)], [signal])
        await self.ctx.bus.publish_core(
            self.ctx.bus.subjects.strategy_event("signal", live.tenant_id, live.id), _signal_payload(signal)
        )

    def _state(self, live: Live) -> services.RunnerState:
        d = live.deployment
        return services.RunnerState(
            live.id, d.target, d.position, d.entry_price, live.peak_equity, d.last_bar_ms, d.latched
        )

    async def _execute(
        self, live: Live, decision: Decision, funds: selectors.AccountFunds | None, price: Decimal
    ) -> Signal:
        d = live.deployment
        qty = ZERO
        orders: list[dict[str, Any]] = []
        if funds is not None:
            qty = d.order_qty(decision.target, funds.equity, price, live.lot)
            if qty > 0 and not live.margin:
                affordable = floor_quotient(funds.free_cash, price * (1 + live.taker_fee) * BUY_PRICE_GUARD, live.lot)
                qty = min(qty, affordable)
            if qty:
                order = await self._order(live, qty, f"{selectors.client_order_prefix(live.id)}{decision.bar_ms}")
                orders.append(order)
                if order.get("error") == "engine_unavailable":
                    d.target = None  # not traded: the next bar decides again
        return Signal(
            tenant_id=live.tenant_id, deployment_id=live.id, bar_open_ms=decision.bar_ms,
            exposure=decision.exposure if decision.exposure == decision.exposure else 0.0,
            target=decision.target, reason=decision.reason, price=price,
            equity=funds.equity if funds else None, qty=qty, orders=orders,
        )  # fmt: skip

    async def _order(self, live: Live, qty: Decimal, client_order_id: str) -> dict[str, Any]:
        side = "buy" if qty > 0 else "sell"
        command = wire.Submit(
            account=live.account_id, symbol=live.market[1], side=side, qty=abs(qty), type="market",
            client_order_id=client_order_id,
        )  # fmt: skip
        subject = self.ctx.bus.subjects.trading_command(gateway.partition_of(live.account_id))
        try:
            msg = await self.ctx.bus.nc.request(
                subject, wire.command_encoder.encode(command), timeout=settings.CONFIG.trading.command_timeout_s
            )
        except Exception as exc:  # noqa: BLE001 - no responders, timeout, disconnect: all "not traded"
            log.warning("runner.engine_unavailable", deployment=live.id, error=type(exc).__name__)
            return {
                "client_order_id": client_order_id,
                "side": side,
                "qty": str(abs(qty)),
                "error": "engine_unavailable",
            }
        reply = wire.reply_decoder.decode(msg.data)
        order = reply.order or {}
        filled = Decimal(order.get("filled_qty") or 0)
        if filled and order.get("avg_price"):
            live.deployment.filled(filled if side == "buy" else -filled, Decimal(order["avg_price"]))
        return {
            "id": order.get("id"), "client_order_id": client_order_id, "side": side, "qty": str(abs(qty)),
            "status": order.get("status"), "filled_qty": str(filled), "avg_price": order.get("avg_price"),
            "reject_reason": order.get("reject_reason") or (reply.code if not reply.ok else None),
        }  # fmt: skip

    async def _flatten(self, row: Any) -> None:
        """A stopped deployment still holding a position: close it (once per stop, by client order id)."""
        instrument = instruments.get(row.exchange, row.symbol)
        live = Live(
            row.pk, row.tenant_id, row.config_version, (row.exchange, row.symbol, row.interval), row.account_id,
            True, ZERO, instrument.lot_size if instrument else None, None, row.peak_equity,
            LiveDeployment([Member(_Flat(), 1.0)], parse_sizing("fixed_fraction", {}), allow_short=True,
                           target=0.0, position=row.position_qty, entry_price=row.entry_price),
        )  # fmt: skip
        order = await self._order(
            live, -row.position_qty, f"{selectors.client_order_prefix(row.pk)}stop{row.config_version}"
        )
        if order.get("error"):
            return
        bar_ms = row.last_bar_ms or 0
        signal = Signal(
            tenant_id=row.tenant_id, deployment_id=row.pk, bar_open_ms=bar_ms, exposure=0.0, target=0.0,
            reason="stopped", price=None, equity=None, qty=-row.position_qty, orders=[order],
        )  # fmt: skip
        live.deployment.last_bar_ms = bar_ms
        await sync_to_async(services.runner_save, thread_sensitive=True)([self._state(live)], [signal])

    # -- the loop -------------------------------------------------------------------------------
    async def run(self) -> None:
        bus, p = self.ctx.bus, self.partition
        # Deployments first, then the consumer: once it exists, every running deployment is loaded.
        await self.sync()
        next_sync = time.monotonic() + self.poll_s
        sub = await bus.pull_consumer(
            stream=bus.subjects.stream_name("MD_KLINES"),
            durable=f"strategy-runner-{p.index}-of-{p.count}",
            filter_subject=bus.subjects.klines(),
            deliver_new_only=True,
        )
        while not self.ctx.stop.is_set():
            if time.monotonic() >= next_sync:
                await self.sync()
                next_sync = time.monotonic() + self.poll_s
            msgs = await Bus.fetch_available(sub, 512, idle_timeout_s=min(self.poll_s, 0.5))
            for msg in msgs:
                try:
                    await self.on_kline(msg.data)
                except msgspec.DecodeError:
                    log.warning("runner.bad_kline_message", subject=msg.subject)
                await msg.ack()


class _Flat:
    warmup_bars = 0

    def on_bars(self, bars: Any) -> Any:
        return np.zeros(len(bars))


def _now_ms() -> int:
    return int(time.time() * 1000)


def _signal_payload(signal: Signal) -> bytes:
    return _json.encode(
        {
            "deployment": signal.deployment_id, "bar_open_ms": signal.bar_open_ms, "exposure": signal.exposure,
            "target": signal.target, "reason": signal.reason, "price": signal.price, "qty": signal.qty,
            "orders": signal.orders,
        }
    )  # fmt: skip


async def run_strategy_runner(ctx: WorkerContext, partition: Partition) -> None:
    await StrategyRunner(ctx, partition).run()
