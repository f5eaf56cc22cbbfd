"""A rule: what it watches, when it may fire (trigger mode, cooldown, expiry) and its state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backend.engine.alerts.conditions import Condition
from backend.engine.alerts.template import render

Mode = Literal["once", "every_time", "cooldown"]
Source = Literal["trade", "live", "closed", "event"]


@dataclass(slots=True, eq=False)
class Rule:
    id: int
    tenant_id: int
    exchange: str
    symbol: str
    interval: str | None
    source: Source
    condition: Condition
    mode: Mode = "every_time"
    cooldown_ms: int = 0
    expires_ms: int | None = None
    template: str = "{symbol} alert: {price}"
    # Bumped whenever the customer edits the rule, so an edited rule starts afresh.
    version: int = 0
    # State.
    last_holds: bool = False
    last_fired_ms: int | None = None
    fired: int = 0
    done: bool = False

    def expired(self, now_ms: int) -> bool:
        return self.expires_ms is not None and now_ms >= self.expires_ms

    def gate(self, holds: bool, now_ms: int, *, edge: bool) -> bool:
        """Whether a condition that (does or does not) hold fires now.

        `edge`: a state condition (RSI above 70) fires in every_time mode only when it
        starts to hold; an event (a trade crossing a level) is its own edge.
        """
        was = self.last_holds
        self.last_holds = holds
        if not holds or self.done:
            return False
        if self.expired(now_ms):
            self.done = True
            return False
        if self.mode == "once":
            self.done = True
            return True
        if self.mode == "cooldown":
            return self.last_fired_ms is None or now_ms - self.last_fired_ms >= self.cooldown_ms
        return not (edge and was)

    def record_fire(self, now_ms: int) -> None:
        self.last_fired_ms = now_ms
        self.fired += 1

    def carry_state_from(self, old: Rule) -> None:
        self.last_holds, self.last_fired_ms, self.fired, self.done = (
            old.last_holds,
            old.last_fired_ms,
            old.fired,
            old.done,
        )


@dataclass(frozen=True, slots=True)
class Firing:
    rule_id: int
    tenant_id: int
    ts_ms: int
    message: str
    values: dict[str, Any] = field(default_factory=dict)


def make_firing(rule: Rule, ts_ms: int, price: float | None, value: float | None, extra: dict[str, Any]) -> Firing:
    rule.record_fire(ts_ms)
    values: dict[str, Any] = {
        "exchange": rule.exchange,
        "symbol": rule.symbol,
        "interval": rule.interval,
        "price": price,
        "value": value,
        "time": ts_ms,
        **extra,
    }
    text = render(
        rule.template,
        {
            **values,
            "price": "" if price is None else f"{price:g}",
            "value": "" if value is None else f"{value:.6g}",
            "time": _iso(ts_ms),
            "rule": rule.id,
        },
    )
    return Firing(rule.id, rule.tenant_id, ts_ms, text, values)


def _iso(ts_ms: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts_ms / 1000, tz=dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
