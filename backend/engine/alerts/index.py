"""The alert engine: rules indexed so a trade costs O(log rules of its market + fired).

- Trade-driven price rules are kept per market as one sorted array of their levels. A
  trade moving the price from p0 to p1 can only fire rules with a level in
  [min(p0, p1), max(p0, p1)]: two bisects find them, so the per-trade cost does not
  grow with rules on other markets, nor with rules on this market whose levels the
  price did not pass.
- Kline-driven rules are grouped by (exchange, symbol, interval) and evaluated when a
  kline of that key arrives, over a bounded history of that key's bars.
- Event rules are grouped by (tenant, kind).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backend.engine.alerts.conditions import (
    EVENT_KINDS,
    PRICE_KINDS,
    Bars,
    EventCondition,
    PriceCross,
    PriceRange,
    price_holds,
)
from backend.engine.alerts.rules import Firing, Rule, make_firing

Market = tuple[str, str]
KlineKey = tuple[str, str, str]
# History kept per kline key beyond what its rules look back, and never less than this.
MIN_BARS = 2


@dataclass(frozen=True, slots=True)
class KlineIn:
    exchange: str
    symbol: str
    interval: str
    open_time: int
    close: float
    high: float
    low: float
    volume: float
    closed: bool
    revision: bool = False


@dataclass(slots=True)
class _MarketIndex:
    last: float | None = None
    levels: list[float] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(slots=True)
class KlineBook:
    """Closed bars of one (exchange, symbol, interval), oldest first, plus the live bar."""

    maxlen: int = MIN_BARS
    open_times: list[int] = field(default_factory=list)
    close: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)
    low: list[float] = field(default_factory=list)
    volume: list[float] = field(default_factory=list)
    live: KlineIn | None = None

    def add_closed(self, k: KlineIn) -> bool:
        """Store a closed bar; False if it is older than the newest one (nothing to evaluate)."""
        if self.live is not None and self.live.open_time <= k.open_time:
            self.live = None
        if self.open_times and k.open_time < self.open_times[-1]:
            return False
        if self.open_times and k.open_time == self.open_times[-1]:
            self.close[-1], self.high[-1], self.low[-1], self.volume[-1] = k.close, k.high, k.low, k.volume
            return True
        self.open_times.append(k.open_time)
        self.close.append(k.close)
        self.high.append(k.high)
        self.low.append(k.low)
        self.volume.append(k.volume)
        if len(self.open_times) > self.maxlen:
            drop = len(self.open_times) - self.maxlen
            for series in (self.open_times, self.close, self.high, self.low, self.volume):
                del series[:drop]
        return True

    def set_live(self, k: KlineIn) -> bool:
        if self.open_times and k.open_time <= self.open_times[-1]:
            return False
        self.live = k
        return True

    def bars(self, with_live: bool) -> Bars:
        close, high, low, volume = self.close, self.high, self.low, self.volume
        if with_live and self.live is not None:
            live = self.live
            close, high, low, volume = (
                [*close, live.close],
                [*high, live.high],
                [*low, live.low],
                [*volume, live.volume],
            )
        f = np.float64
        return Bars(
            np.array(close, dtype=f), np.array(high, dtype=f), np.array(low, dtype=f), np.array(volume, dtype=f)
        )


class AlertEngine:
    def __init__(self) -> None:
        self.rules: dict[int, Rule] = {}
        self.markets: dict[Market, _MarketIndex] = {}
        self.kline_rules: dict[KlineKey, list[Rule]] = {}
        self.books: dict[KlineKey, KlineBook] = {}
        self.event_rules: dict[tuple[int, str], list[Rule]] = {}

    # --- rules ------------------------------------------------------------------------------

    def replace_rules(self, rules: Iterable[Rule]) -> None:
        """Swap in the current rule set; unchanged rules (same id and version) keep their state."""
        fresh: dict[int, Rule] = {}
        for rule in rules:
            old = self.rules.get(rule.id)
            if old is not None and old.version == rule.version:
                rule.carry_state_from(old)
            fresh[rule.id] = rule
        self.rules = fresh
        self._reindex()

    def _reindex(self) -> None:
        by_market: dict[Market, list[tuple[float, Rule]]] = {}
        kline_rules: dict[KlineKey, list[Rule]] = {}
        event_rules: dict[tuple[int, str], list[Rule]] = {}
        for rule in self.rules.values():
            if rule.done:
                continue
            kind = rule.condition.kind
            if kind in EVENT_KINDS:
                event_rules.setdefault((rule.tenant_id, kind), []).append(rule)
            elif rule.source == "trade" and isinstance(rule.condition, PriceCross | PriceRange):
                entries = by_market.setdefault((rule.exchange, rule.symbol), [])
                entries.extend((level, rule) for level in rule.condition.levels())
            elif rule.interval is not None:
                kline_rules.setdefault((rule.exchange, rule.symbol, rule.interval), []).append(rule)
        for index in self.markets.values():
            index.levels, index.rules = [], []
        for market, entries in by_market.items():
            entries.sort(key=lambda e: e[0])
            index = self.markets.setdefault(market, _MarketIndex())
            index.levels = [level for level, _ in entries]
            index.rules = [rule for _, rule in entries]
        for key, rules in kline_rules.items():
            book = self.books.setdefault(key, KlineBook())
            book.maxlen = max(MIN_BARS, *(r.condition.lookback() for r in rules))  # type: ignore[union-attr]
        self.kline_rules, self.event_rules = kline_rules, event_rules

    def history_needed(self) -> dict[KlineKey, int]:
        """Closed bars each kline key wants at start (to warm indicators up)."""
        return {key: self.books[key].maxlen for key in self.kline_rules}

    def seed(self, key: KlineKey, bars: Sequence[KlineIn]) -> None:
        book = self.books.setdefault(key, KlineBook(maxlen=self.history_needed().get(key, MIN_BARS)))
        for bar in bars:
            book.add_closed(bar)

    # --- input ------------------------------------------------------------------------------

    def on_trades(self, exchange: str, symbol: str, trades: Sequence[tuple[float, int]]) -> list[Firing]:
        """Trades of one market in order, as (price, ts_ms)."""
        if not trades:
            return []
        index = self.markets.get((exchange, symbol))
        if index is None:
            index = self.markets[(exchange, symbol)] = _MarketIndex()
        levels = index.levels
        prev = index.last
        if not levels:
            index.last = trades[-1][0]
            return []
        fired: list[Firing] = []
        n = len(levels)
        for price, ts_ms in trades:
            if prev is not None and price != prev:
                lo, hi = (prev, price) if prev < price else (price, prev)
                i = bisect_left(levels, lo)
                if i < n and levels[i] <= hi:
                    j = bisect_right(levels, hi, i)
                    self._price_candidates(index.rules[i:j], prev, price, ts_ms, fired)
            prev = price
        index.last = prev
        return fired

    def _price_candidates(
        self, candidates: list[Rule], prev: float, price: float, ts_ms: int, out: list[Firing]
    ) -> None:
        seen: set[int] = set()
        for rule in candidates:
            # A range rule is listed under both its bounds; a move touching both sees it twice.
            if rule.id in seen:
                continue
            seen.add(rule.id)
            condition = rule.condition
            assert isinstance(condition, PriceCross | PriceRange)
            if condition.moved(prev, price) and rule.gate(True, ts_ms, edge=False):
                out.append(make_firing(rule, ts_ms, price, None, {"previous_price": prev}))

    def on_kline(self, k: KlineIn, now_ms: int | None = None) -> list[Firing]:
        key = (k.exchange, k.symbol, k.interval)
        rules = self.kline_rules.get(key)
        book = self.books.get(key)
        if book is None:
            book = self.books[key] = KlineBook()
        if k.closed:
            if not book.add_closed(k):
                return []
        elif not book.set_live(k):
            return []
        if not rules:
            return []
        ts_ms = now_ms if now_ms is not None else k.open_time
        fired: list[Firing] = []
        bars_live: Bars | None = None
        bars_closed: Bars | None = None
        for rule in rules:
            if rule.source == "closed":
                if not k.closed or k.revision:
                    continue
                bars_closed = bars_closed or book.bars(with_live=False)
                bars = bars_closed
            else:
                bars_live = bars_live or book.bars(with_live=True)
                bars = bars_live
            condition = rule.condition
            if condition.kind in PRICE_KINDS:
                assert isinstance(condition, PriceCross | PriceRange)
                holds, value = price_holds(condition, bars)
            else:
                holds, value = condition.holds(bars)  # type: ignore[union-attr]
            # A condition holds for the whole bar (live updates repeat it): fire on its edge.
            if rule.gate(holds, ts_ms, edge=True):
                fired.append(make_firing(rule, ts_ms, float(bars.close[-1]), value, {"bar_open_time": k.open_time}))
        return fired

    def on_event(self, tenant_id: int, kind: str, event: Mapping[str, Any], ts_ms: int) -> list[Firing]:
        fired: list[Firing] = []
        for rule in self.event_rules.get((tenant_id, kind), ()):
            condition = rule.condition
            assert isinstance(condition, EventCondition)
            if condition.matches(event) and rule.gate(True, ts_ms, edge=False):
                price = event.get("price")
                fired.append(
                    make_firing(rule, ts_ms, float(price) if price is not None else None, None, {"event": dict(event)})
                )
        return fired

    def finished(self) -> list[int]:
        """Rules that will never fire again (once-rules that fired, expired rules)."""
        return [rule.id for rule in self.rules.values() if rule.done]
