"""Live kline state for fast updates: what is committed plus what is still being committed.

Persisting a batch takes far longer than folding it, so the aggregator publishes live
updates from memory as soon as trades arrive and lets the database catch up. The view
of a window is its last committed kline (the database's answer, exact) combined with
the folds of every batch received but not yet committed. When a batch commits, its fold
is dropped and the committed kline takes its place, so the view never counts a trade
twice once its batch is in.

After a restart the process does not know what earlier runs committed for windows that
were already open, so a window's view is only trusted once a commit has reported it,
or when the window opened after this process started (every trade of it comes through
here). Closed and revised klines are never taken from this view: they are published
from committed state only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

from backend.engine.aggregate.klines import Kline, combine, fold_trades
from backend.engine.market.intervals import INTERVALS
from backend.engine.market.trade import Trade

WindowKey = tuple[str, str, str, int]  # exchange, symbol, interval, open_time
SeriesKey = tuple[str, str, str]  # exchange, symbol, interval


class LiveKlines:
    def __init__(self, *, trusted_from_ms: int, intervals: Iterable[str] = INTERVALS) -> None:
        self.trusted_from_ms = trusted_from_ms
        self.intervals = tuple(intervals)
        # The newest committed kline per series; older windows are closed business.
        self._committed: dict[SeriesKey, Kline] = {}
        # Per window, the uncommitted batches' partial klines, and their combination
        # (kept up to date so a view costs one combine however far storage lags).
        self._parts: dict[WindowKey, list[tuple[int, Kline]]] = {}
        self._uncommitted: dict[WindowKey, Kline] = {}
        self._batches: dict[int, list[WindowKey]] = {}

    def add(self, batch_id: int, trades: Sequence[Trade]) -> list[Kline]:
        """Fold a received batch in; return the current view of each window it touched
        that can be trusted (see the module docstring)."""
        keys: list[WindowKey] = []
        by_market = sorted(trades, key=lambda t: (t.exchange, t.symbol))
        for _market, group in groupby(by_market, key=lambda t: (t.exchange, t.symbol)):
            for part in fold_trades({}, list(group), self.intervals):
                key = (part.exchange, part.symbol, part.interval, part.open_time)
                keys.append(key)
                self._parts.setdefault(key, []).append((batch_id, part))
                known = self._uncommitted.get(key)
                self._uncommitted[key] = part if known is None else combine(known, part)
        self._batches[batch_id] = keys
        views = []
        for key in keys:
            view = self.view(key)
            if view is not None:
                views.append(view)
        return views

    def commit(self, batch_ids: Iterable[int], committed: Iterable[Kline]) -> None:
        """The batches are stored; `committed` are the full stored klines they touched."""
        for kline in committed:
            series = (kline.exchange, kline.symbol, kline.interval)
            known = self._committed.get(series)
            if known is None or kline.open_time >= known.open_time:
                self._committed[series] = kline
        self.forget(batch_ids)

    def forget(self, batch_ids: Iterable[int]) -> None:
        """Drop the batches' folds: committed, or never to be committed here (redelivered later)."""
        done = set(batch_ids)
        touched: set[WindowKey] = set()
        for batch_id in done:
            touched.update(self._batches.pop(batch_id, ()))
        for key in touched:
            parts = [(b, part) for b, part in self._parts.get(key, ()) if b not in done]
            if parts:
                self._parts[key] = parts
                total = parts[0][1]
                for _b, part in parts[1:]:
                    total = combine(total, part)
                self._uncommitted[key] = total
            else:
                self._parts.pop(key, None)
                self._uncommitted.pop(key, None)

    def view(self, key: WindowKey) -> Kline | None:
        exchange, symbol, interval, open_time = key
        known = self._committed.get((exchange, symbol, interval))
        base: Kline | None
        if known is not None and known.open_time == open_time:
            base = known
        elif known is not None and known.open_time > open_time:
            return None  # a late trade in a closed window: revisions come from committed state
        elif known is not None or open_time >= self.trusted_from_ms:
            # A window newer than anything committed for it since start: all of it is pending here.
            base = None
        else:
            return None
        pending = self._uncommitted.get(key)
        if pending is None:
            return base
        return pending if base is None else combine(base, pending)

    @property
    def pending_batches(self) -> int:
        return len(self._batches)
