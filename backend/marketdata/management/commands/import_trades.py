from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from backend.engine.market.binance_files import parse_trades
from backend.marketdata import instruments
from backend.marketdata.importing import add_common_arguments, check_common, exchange_symbol, parse_all
from backend.marketdata.services import ingest_trades

CHUNK = 20_000


class Command(BaseCommand):
    help = "Import a Binance historical trades file (CSV or .zip): trades and klines of every interval."

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        exchange, symbol, path = check_common(options)
        trades = parse_all(path, lambda rows: parse_trades(rows, exchange=exchange, symbol=symbol), "trades")
        stored = 0
        # One transaction for the whole file: a failure leaves no rows behind.
        with transaction.atomic(), tqdm(total=len(trades), desc="storing", unit=" trades", disable=None) as bar:
            instruments.register(exchange, symbol, exchange_symbol(symbol))
            for start in range(0, len(trades), CHUNK):
                chunk = trades[start : start + CHUNK]
                stored += ingest_trades(chunk).stored
                bar.update(len(chunk))
        self.stdout.write(f"{path.name}: {stored} trades stored ({len(trades) - stored} already present)")
