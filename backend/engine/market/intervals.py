"""Kline intervals in exchange notation and the windows they cut time into (UTC).

Weeks open on Monday 00:00 UTC, as Binance's 1w klines do; every other interval is a
fixed number of milliseconds aligned to the Unix epoch.
"""

from __future__ import annotations

SECOND_MS = 1_000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
WEEK_MS = 7 * DAY_MS
# 1970-01-01 was a Thursday; the first Monday 00:00 UTC is four days later.
_FIRST_MONDAY_MS = 4 * DAY_MS

INTERVAL_MS: dict[str, int] = {
    "1s": SECOND_MS,
    "1m": MINUTE_MS,
    "3m": 3 * MINUTE_MS,
    "5m": 5 * MINUTE_MS,
    "15m": 15 * MINUTE_MS,
    "30m": 30 * MINUTE_MS,
    "1h": HOUR_MS,
    "2h": 2 * HOUR_MS,
    "4h": 4 * HOUR_MS,
    "6h": 6 * HOUR_MS,
    "12h": 12 * HOUR_MS,
    "1d": DAY_MS,
    "1w": WEEK_MS,
}
INTERVALS: tuple[str, ...] = tuple(INTERVAL_MS)


class UnknownInterval(ValueError):
    pass


def duration_ms(interval: str) -> int:
    try:
        return INTERVAL_MS[interval]
    except KeyError:
        raise UnknownInterval(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}") from None


def window_start(interval: str, ts_ms: int) -> int:
    """Open time of the window of `interval` containing `ts_ms`."""
    size = duration_ms(interval)
    offset = _FIRST_MONDAY_MS if interval == "1w" else 0
    return (ts_ms - offset) // size * size + offset
