from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from backend.engine.market.intervals import DAY_MS, MINUTE_MS
from backend.engine.sim.generator import SimExchange
from backend.engine.sim.history import minute_klines
from backend.engine.sim.markets import DEFAULT_MARKETS
from backend.marketdata.services import import_klines
from backend.marketdata.writer import datetime_from_ms


class Command(BaseCommand):
    help = "Seed the simulated exchange's history as klines (1m and every coarser interval)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1, help="the sim seed (the ingest worker's, for continuity)")
        parser.add_argument("--force", action="store_true", help="regenerate even if history exists")

    def handle(self, *args: Any, **options: Any) -> None:
        now = int(time.time() * 1000) // MINUTE_MS * MINUTE_MS
        start = now - options["days"] * DAY_MS
        sim = SimExchange(DEFAULT_MARKETS, seed=options["seed"])
        for symbol in DEFAULT_MARKETS:
            if not options["force"] and _has_history(symbol, start):
                self.stdout.write(f"sim {symbol}: history already seeded")
                continue
            klines = list(minute_klines(sim, symbol, start, now))
            stored = import_klines(klines, interval="1m")
            self.stdout.write(f"sim {symbol}: {len(klines)} one-minute klines, {stored} klines of all intervals")


def _has_history(symbol: str, start_ms: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM md_kline WHERE exchange = 'sim' AND symbol = %s AND interval = '1m' AND open_time <= %s"
            " LIMIT 1",
            [symbol, datetime_from_ms(start_ms + DAY_MS)],
        )
        return cursor.fetchone() is not None
