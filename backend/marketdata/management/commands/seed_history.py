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
            latest = None if options["force"] else _latest_minute(symbol, start)
            if latest is not None and latest + MINUTE_MS >= now:
                self.stdout.write(f"sim {symbol}: history up to date")
                continue
            # After downtime only the missing minutes are generated; coarser windows
            # around them are rebuilt from every stored minute (import_klines).
            since = start if latest is None else latest + MINUTE_MS
            klines = list(minute_klines(sim, symbol, since, now))
            stored = import_klines(klines, interval="1m")
            what = "history" if latest is None else "missing minutes"
            self.stdout.write(
                f"sim {symbol}: {what}: {len(klines)} one-minute klines, {stored} klines of all intervals"
            )


def _latest_minute(symbol: str, start_ms: int) -> int | None:
    """Open time of the newest stored 1m kline, if history reaches back to start."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (extract(epoch FROM max(open_time)) * 1000)::bigint FROM md_kline"
            " WHERE exchange = 'sim' AND symbol = %s AND interval = '1m' AND open_time >= %s",
            [symbol, datetime_from_ms(start_ms)],
        )
        newest = cursor.fetchone()[0]
        cursor.execute(
            "SELECT 1 FROM md_kline WHERE exchange = 'sim' AND symbol = %s AND interval = '1m'"
            " AND open_time <= %s LIMIT 1",
            [symbol, datetime_from_ms(start_ms + DAY_MS)],
        )
        reaches_back = cursor.fetchone() is not None
    return int(newest) if newest is not None and reaches_back else None
