"""One live deployment: its strategies (an ensemble of one or more), sizing, stops and position.

    d = LiveDeployment([Member(strategy, 1.0)], sizing, allow_short=False)
    d.warm(bars)                       # warm-up bars from storage: state only, no decisions
    decision = d.evaluate(bar)         # one closed bar; a Decision when the target changed
    qty = d.order_qty(decision.target, equity, price, lot)   # the order that gets there

Like a backtest (backend/engine/backtest/decisions.py), the position is rebalanced when the
target changes, not on every bar; NaN from a strategy means "keep" and carries its previous
exposure forward; spot deployments cannot short, so negative targets become 0. An ensemble's
exposure is the weighted mean of its members' exposures (a member with no output yet counts as 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import numpy as np

from backend.engine.live.sizing import Sizing
from backend.engine.strategy.protocol import CLOSE, HIGH, LOW, OPEN_TIME, Bars, Strategy

ZERO = Decimal(0)
K = TypeVar("K")
NAN = float("nan")


@dataclass(slots=True)
class Member:
    strategy: Strategy
    weight: float
    last: float = NAN  # the member's latest non-NaN exposure


@dataclass(frozen=True, slots=True)
class Decision:
    bar_ms: int
    exposure: float  # the ensemble's combined exposure, before sizing and stops
    target: float  # the exposure the deployment now targets
    reason: str  # signal, stop_loss, take_profit
    close: float


class LiveDeployment:
    def __init__(
        self,
        members: Sequence[Member],
        sizing: Sizing,
        *,
        allow_short: bool,
        stop_loss: float | None = None,
        take_profit: float | None = None,
        target: float | None = None,
        position: Decimal = ZERO,
        entry_price: Decimal | None = None,
        latched: float | None = None,
    ) -> None:
        if not members:
            raise ValueError("a deployment needs at least one strategy")
        self.members = list(members)
        self._total_weight = sum(m.weight for m in members)
        self.sizing = sizing
        self.allow_short = allow_short
        self.stop_loss = stop_loss
        self.take_profit = take_profit
        self.target = target  # the last decided target exposure; None before the first decision
        self.position = position  # what this deployment's own orders hold (signed base quantity)
        self.entry_price = entry_price
        self.last_bar_ms = -1
        # After a stop, stay flat until the strategies change their mind (persisted by
        # the runner, so a restart does not buy straight back in).
        self._latched: float | None = latched

    @property
    def latched(self) -> float | None:
        return self._latched

    @property
    def warmup_bars(self) -> int:
        return max(m.strategy.warmup_bars for m in self.members)

    def warm(self, bars: Bars) -> None:
        """Rebuild state from stored bars (in time order); decides nothing."""
        if bars.shape[0] == 0:
            return
        for member in self.members:
            out = np.asarray(member.strategy.on_bars(bars), dtype=np.float64)
            known = out[~np.isnan(out)]
            if known.size:
                member.last = float(known[-1])
        for row in bars:
            self.sizing.observe(float(row[HIGH]), float(row[LOW]), float(row[CLOSE]))
        self.last_bar_ms = int(bars[-1, OPEN_TIME])

    def evaluate(self, bar: Bars) -> Decision | None:
        """Feed one closed bar (shape (1, 6)); raises the strategy's error (a SandboxError for wasm)."""
        row = bar[0]
        bar_ms = int(row[OPEN_TIME])
        if bar_ms <= self.last_bar_ms:
            return None  # already seen (a redelivery, or a bar the warm-up covered)
        self.last_bar_ms = bar_ms
        close = float(row[CLOSE])
        self.sizing.observe(float(row[HIGH]), float(row[LOW]), close)
        combined = 0.0
        known = False
        for member in self.members:
            e = float(member.strategy.on_bars(bar)[0])
            if e == e:
                member.last = e
            if member.last == member.last:
                combined += member.weight * member.last
                known = True
        if not known:
            return None
        raw = min(1.0, max(-1.0 if self.allow_short else 0.0, combined / self._total_weight))
        desired = self.sizing.cap(raw)
        reason = "signal"
        if self._latched is not None:
            if raw == self._latched:
                desired = 0.0
            else:
                self._latched = None
        stop = self._stop(close)
        if stop is not None:
            desired, reason, self._latched = 0.0, stop, raw
        if self.target is not None and desired == self.target:
            return None
        self.target = desired
        return Decision(bar_ms, raw, desired, reason, close)

    def _stop(self, close: float) -> str | None:
        entry = self.entry_price
        if entry is None or not self.position:
            return None
        change = close / float(entry) - 1.0
        if self.position < 0:
            change = -change
        if self.stop_loss is not None and change <= -self.stop_loss:
            return "stop_loss"
        if self.take_profit is not None and change >= self.take_profit:
            return "take_profit"
        return None

    def order_qty(self, target: float, equity: Decimal, price: Decimal, lot: Decimal | None) -> Decimal:
        """Signed quantity to trade to hold `target` at this equity and price."""
        if not math.isfinite(target):
            return ZERO
        return self.sizing.target_qty(target, equity, price, lot) - self.position

    def filled(self, signed_qty: Decimal, price: Decimal) -> None:
        """Account for a fill of this deployment's order (entry price: the average of the open side)."""
        if not signed_qty:
            return
        before = self.position
        after = before + signed_qty
        if after == 0:
            self.entry_price = None
        elif before == 0 or (before > 0) != (after > 0):
            self.entry_price = price  # opened, or flipped through zero
        elif abs(after) > abs(before) and self.entry_price is not None:
            self.entry_price = (self.entry_price * abs(before) + price * abs(signed_qty)) / abs(after)
        self.position = after


def evaluate_all(
    deployments: Iterable[tuple[K, LiveDeployment]], bar: Bars
) -> tuple[list[tuple[K, Decision]], list[tuple[K, Exception]]]:
    """One closed bar through every deployment of its market: (decisions, failures).

    A deployment that raises (a SandboxError for wasm) is reported and skipped; the others
    are evaluated as if it were not there.
    """
    decisions: list[tuple[K, Decision]] = []
    failures: list[tuple[K, Exception]] = []
    for key, deployment in deployments:
        try:
            decision = deployment.evaluate(bar)
        except Exception as exc:  # noqa: BLE001 - whatever one deployment's strategy does, it fails alone
            failures.append((key, exc))
            continue
        if decision is not None:
            decisions.append((key, decision))
    return decisions, failures
