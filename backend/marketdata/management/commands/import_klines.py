from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from backend.engine.market.binance_files import parse_klines
from backend.engine.market.intervals import INTERVALS
from backend.marketdata import instruments
from backend.marketdata.importing import add_common_arguments, check_common, exchange_symbol, parse_all
from backend.marketdata.services import import_klines


class Command(BaseCommand):
    help = "Import a Binance historical klines file (CSV or .zip); coarser intervals are rolled up from it."

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)
        parser.add_argument("--interval", required=True, help="the file's interval, e.g. 1m")

    def handle(self, *args: Any, **options: Any) -> None:
        exchange, symbol, path = check_common(options)
        interval = options["interval"]
        if interval not in INTERVALS:
            raise CommandError(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}")
        klines = parse_all(
            path, lambda rows: parse_klines(rows, exchange=exchange, symbol=symbol, interval=interval), "klines"
        )
        with transaction.atomic():
            instruments.register(exchange, symbol, exchange_symbol(symbol))
            stored = import_klines(klines, interval=interval)
        self.stdout.write(f"{path.name}: {len(klines)} {interval} klines; {stored} klines stored over all intervals")
