"""Shared by the import commands: argument checks, reading a whole file, one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from backend.engine.market.binance_files import BadRow, read_rows

SUPPORTED = ("binance",)
_UNIFIED = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+$")
T = TypeVar("T")


def add_common_arguments(parser: CommandParser) -> None:
    parser.add_argument("--exchange", required=True, help="whose file format: binance")
    parser.add_argument("--symbol", required=True, help="unified symbol BASE-QUOTE, e.g. BTC-USDT")
    parser.add_argument("file", type=Path, help="a .csv, or the .zip Binance ships it in")


def check_common(options: dict[str, Any]) -> tuple[str, str, Path]:
    exchange, symbol, path = options["exchange"], options["symbol"], options["file"]
    if exchange not in SUPPORTED:
        raise CommandError(f"unknown exchange {exchange!r}; files of {', '.join(SUPPORTED)} can be imported")
    if not _UNIFIED.match(symbol):
        raise CommandError(f"symbol {symbol!r} is not in unified BASE-QUOTE form (e.g. BTC-USDT)")
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    return exchange, symbol, path


def parse_all(path: Path, parse: Callable[[Iterator[tuple[int, list[str]]]], Iterator[T]], what: str) -> list[T]:
    """Every record of the file, or a CommandError naming the file and line: nothing is
    written before the whole file has parsed."""
    try:
        with tqdm(desc=f"reading {path.name}", unit=f" {what}", disable=None) as bar:
            items = []
            for item in parse(read_rows(path)):
                items.append(item)
                bar.update()
    except BadRow as exc:
        raise CommandError(f"{path}: {exc}; nothing was imported") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read: {exc}; nothing was imported") from None
    if not items:
        raise CommandError(f"{path}: no {what} in the file")
    return items


def exchange_symbol(symbol: str) -> str:
    return symbol.replace("-", "")
