"""Which kline messages to publish, and when: throttled live updates, closes, revisions.

Pure logic over (kline, version) updates and a clock, so the worker only sends what
this decides. Per market and interval: the first update of a window goes out at once,
later ones at most every `throttle_ms` (the latest state wins); when a newer window
starts, or the clock passes a window's end by `close_grace_ms` in a quiet market, the
window's final state goes out marked closed; an update to an already-closed window
(a late trade) goes out at once as a revision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backend.engine.aggregate.klines import Kline

MarketInterval = tuple[str, str, str]


@dataclass(frozen=True)
class KlineEvent:
    kline: Kline
    closed: bool
    revision: bool


@dataclass
class _Window:
    kline: Kline
    sent_at_ms: int | None
    dirty: bool


class KlinePublisher:
    def __init__(self, *, throttle_ms: int = 250, close_grace_ms: int = 2_000) -> None:
        self.throttle_ms = throttle_ms
        self.close_grace_ms = close_grace_ms
        self._open: dict[MarketInterval, _Window] = {}
        self._closed_upto: dict[MarketInterval, int] = {}
        # tick() runs often over many windows: it visits only those with unsent state,
        # and scans for closes only once the earliest close can be due.
        self._dirty: set[MarketInterval] = set()
        self._next_close_ms = math.inf

    def update(self, kline: Kline, now_ms: int) -> list[KlineEvent]:
        key = (kline.exchange, kline.symbol, kline.interval)
        events: list[KlineEvent] = []
        window = self._open.get(key)
        if kline.open_time <= self._closed_upto.get(key, -1) or (window and kline.open_time < window.kline.open_time):
            return [KlineEvent(kline, closed=True, revision=True)]
        if window is not None and kline.open_time > window.kline.open_time:
            events.append(self._close(key, window))
            window = None
        if window is None:
            self._open[key] = _Window(kline, sent_at_ms=now_ms, dirty=False)
            self._next_close_ms = min(self._next_close_ms, kline.close_time + self.close_grace_ms + 1)
            events.append(KlineEvent(kline, closed=False, revision=False))
            return events
        window.kline = kline
        window.dirty = True
        self._dirty.add(key)
        if window.sent_at_ms is None or now_ms - window.sent_at_ms >= self.throttle_ms:
            events.append(self._send(key, window, now_ms))
        return events

    def tick(self, now_ms: int) -> list[KlineEvent]:
        """Due throttled updates, and closes of windows whose time has passed."""
        events: list[KlineEvent] = []
        if now_ms >= self._next_close_ms:
            self._next_close_ms = math.inf
            for key, window in list(self._open.items()):
                due_ms = window.kline.close_time + self.close_grace_ms
                if now_ms > due_ms:
                    events.append(self._close(key, window))
                else:
                    self._next_close_ms = min(self._next_close_ms, due_ms + 1)
        for key in list(self._dirty):
            window = self._open[key]
            if window.sent_at_ms is None or now_ms - window.sent_at_ms >= self.throttle_ms:
                events.append(self._send(key, window, now_ms))
        return events

    def _send(self, key: MarketInterval, window: _Window, now_ms: int) -> KlineEvent:
        window.sent_at_ms = now_ms
        window.dirty = False
        self._dirty.discard(key)
        return KlineEvent(window.kline, closed=False, revision=False)

    def _close(self, key: MarketInterval, window: _Window) -> KlineEvent:
        del self._open[key]
        self._dirty.discard(key)
        self._closed_upto[key] = max(self._closed_upto.get(key, -1), window.kline.open_time)
        return KlineEvent(window.kline, closed=True, revision=False)
