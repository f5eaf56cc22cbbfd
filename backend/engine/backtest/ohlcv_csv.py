"""OHLCV bars from a CSV file, for the backtest CLI.

Columns (header names, any case, any order; other columns are ignored): `time` or `date`,
open, high, low, close, volume. Times may be epoch seconds, milliseconds or microseconds
(told apart by magnitude, decided once from the first row so a file cannot mix them) or
ISO 8601 dates/datetimes (naive ones are UTC). Every row is checked; the first problem
raises OhlcvCsvError naming the line and the column.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from backend.engine.strategy.protocol import BAR_COLUMNS, Bars

PRICE_COLUMNS = ("open", "high", "low", "close", "volume")
TIME_COLUMNS = ("time", "date")
# Epoch values at or above these are milliseconds / microseconds: 1e11 s is the year 5138,
# 1e14 ms the year 5138 too, so no real timestamp is ambiguous.
MS_FROM = 1e11
US_FROM = 1e14


class OhlcvCsvError(ValueError):
    pass


def read_ohlcv_csv(path: str | Path) -> Bars:
    """(n, 6) float64 rows [open_time_ms, open, high, low, close, volume], times strictly increasing."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return parse_ohlcv_csv(handle, source=str(path))


def parse_ohlcv_csv(lines: Iterable[str], *, source: str = "<csv>") -> Bars:
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise OhlcvCsvError(f"{source}: empty file (expected a header: time, open, high, low, close, volume)")
    names = [h.strip().lower() for h in header]
    time_col = next((c for c in TIME_COLUMNS if c in names), None)
    missing = [c for c in PRICE_COLUMNS if c not in names]
    if time_col is None or missing:
        named = ["time (or date)"] * (time_col is None) + missing
        raise OhlcvCsvError(f"{source}: line 1: missing column(s): {', '.join(named)}")
    index = {c: names.index(c) for c in (time_col, *PRICE_COLUMNS)}

    rows: list[list[float]] = []
    to_ms: Callable[[str], int] | None = None
    prev_time: int | None = None
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            raise OhlcvCsvError(f"{source}: line {line}: expected {len(names)} fields, got {len(row)}")
        raw_time = row[index[time_col]].strip()
        if to_ms is None:
            to_ms = _time_parser(raw_time)
        try:
            open_time = to_ms(raw_time)
        except ValueError:
            raise OhlcvCsvError(f"{source}: line {line}: {time_col} is not a valid time: {raw_time!r}") from None
        if prev_time is not None and open_time <= prev_time:
            raise OhlcvCsvError(f"{source}: line {line}: {time_col} does not increase ({raw_time!r})")
        prev_time = open_time
        values = [_number(row[index[c]], c, line, source) for c in PRICE_COLUMNS]
        o, h, low, c, v = values
        if h < low:
            raise OhlcvCsvError(f"{source}: line {line}: high {h:g} is below low {low:g}")
        for name, price in (("open", o), ("close", c)):
            if not low <= price <= h:
                raise OhlcvCsvError(f"{source}: line {line}: {name} {price:g} is outside low..high {low:g}..{h:g}")
        if v < 0:
            raise OhlcvCsvError(f"{source}: line {line}: volume is negative: {v:g}")
        rows.append([float(open_time), *values])
    return np.array(rows, dtype=np.float64).reshape(-1, BAR_COLUMNS)


def _number(raw: str, column: str, line: int, source: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise OhlcvCsvError(f"{source}: line {line}: {column} is not a number: {raw.strip()!r}") from None
    if not math.isfinite(value):
        raise OhlcvCsvError(f"{source}: line {line}: {column} is not finite: {raw.strip()!r}")
    return value


def _time_parser(first: str) -> Callable[[str], int]:
    """Epoch s/ms/us or ISO, chosen from the first row's value."""
    try:
        magnitude = abs(float(first))
    except ValueError:
        return _iso_ms
    scale = 1e-3 if magnitude >= US_FROM else 1.0 if magnitude >= MS_FROM else 1e3
    return lambda raw: _epoch_ms(raw, scale)


def _epoch_ms(raw: str, scale: float) -> int:
    value = float(raw)  # ValueError for text in a numeric column, reported by the caller
    if not math.isfinite(value):
        raise ValueError(raw)
    return round(value * scale)


def _iso_ms(raw: str) -> int:
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)
