"""Binance's public historical data files (data.binance.vision): trades and klines CSV,
plain or in the .zip they ship in.

Trades rows: trade id, price, qty, quote qty, time, is buyer maker, is best match.
Kline rows: open time, open, high, low, close, volume, close time, quote volume,
trades, taker buy base volume, taker buy quote volume, ignore. Files have no header
(a header line, when present, is skipped). Spot files from 2025 carry microsecond
timestamps; they are detected by magnitude and reduced to milliseconds.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from backend.engine.aggregate.klines import Kline
from backend.engine.market.intervals import duration_ms
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate

_MICROSECONDS_FROM = 10**14  # a millisecond timestamp this large would be in year 5138


class BadRow(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of the CSV in `path`, or of the one CSV inside a .zip."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".csv")]
            if len(names) != 1:
                raise BadRow(0, f"{path.name} should hold exactly one .csv, found {len(names)}")
            with archive.open(names[0]) as raw:
                yield from _rows(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
    else:
        with path.open(encoding="utf-8", newline="") as text:
            yield from _rows(text)


def _rows(text: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    for number, fields in enumerate(csv.reader(text), start=1):
        if not fields or (number == 1 and fields[0] and not fields[0].strip().isdigit()):
            continue  # blank line, or a header
        yield number, fields


def _ms(raw: str, line: int, what: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise BadRow(line, f"{what} must be an integer timestamp, got {raw!r}") from None
    return value // 1000 if value >= _MICROSECONDS_FROM else value


def _decimal(raw: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BadRow(line, f"{what} must be a decimal number, got {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise BadRow(line, f"{what} must be a finite, non-negative number, got {raw!r}")
    return value


def _bool(raw: str, line: int, what: str) -> bool:
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise BadRow(line, f"{what} must be True or False, got {raw!r}")
    return lowered == "true"


def parse_trades(rows: Iterator[tuple[int, list[str]]], *, exchange: str, symbol: str) -> Iterator[Trade]:
    for line, fields in rows:
        if len(fields) < 6:
            raise BadRow(
                line, f"expected at least 6 columns (id, price, qty, quote qty, time, buyer maker), got {len(fields)}"
            )
        try:
            trade_id = int(fields[0])
        except ValueError:
            raise BadRow(line, f"trade id must be an integer, got {fields[0]!r}") from None
        ts = _ms(fields[4], line, "time")
        # The buyer was the maker, so the seller took: a sell-initiated trade.
        side = Side.SELL if _bool(fields[5], line, "is buyer maker") else Side.BUY
        trade = Trade(exchange, symbol, trade_id, ts, _decimal(fields[1], line, "price"),
                      _decimal(fields[2], line, "qty"), side, ts)  # fmt: skip
        try:
            yield validate(trade)
        except InvalidTrade as exc:
            raise BadRow(line, str(exc)) from None


def parse_klines(
    rows: Iterator[tuple[int, list[str]]], *, exchange: str, symbol: str, interval: str
) -> Iterator[Kline]:
    size = duration_ms(interval)
    for line, fields in rows:
        if len(fields) < 9:
            raise BadRow(line, f"expected at least 9 columns, got {len(fields)}")
        open_time = _ms(fields[0], line, "open time")
        if open_time % size and interval != "1w":
            raise BadRow(line, f"open time {open_time} is not on a {interval} boundary")
        o, h, lo, c = (
            _decimal(fields[i], line, name) for i, name in ((1, "open"), (2, "high"), (3, "low"), (4, "close"))
        )
        if not (lo <= min(o, c) and max(o, c) <= h):
            raise BadRow(line, "prices must satisfy low <= open, close <= high")
        try:
            trades = int(fields[8])
        except ValueError:
            raise BadRow(line, f"number of trades must be an integer, got {fields[8]!r}") from None
        yield Kline(
            exchange, symbol, interval, open_time, o, h, lo, c,
            _decimal(fields[5], line, "volume"), _decimal(fields[7], line, "quote volume"), trades,
            (open_time, 0), (open_time + size - 1, 0),
        )  # fmt: skip
