"""seed_history: first start seeds 30 days; a later start fills only the minutes missed."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from django.core.management import call_command
from django.db import connection

from backend.engine.market.intervals import DAY_MS, MINUTE_MS

pytestmark = pytest.mark.usefixtures("md_tables")


def _minutes(symbol: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (extract(epoch FROM open_time) * 1000)::bigint FROM md_kline"
            " WHERE exchange = 'sim' AND symbol = %s AND interval = '1m' ORDER BY open_time",
            [symbol],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_restart_after_downtime_fills_the_gap_and_nothing_else() -> None:
    out = io.StringIO()
    call_command("seed_history", "--days", "2", stdout=out)
    seeded = _minutes("BTC-USDT")
    assert len(seeded) >= 2 * 1_440 - 1
    # Downtime: the newest three hours are missing.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM md_kline WHERE exchange = 'sim' AND interval = '1m' AND open_time > to_timestamp(%s)",
            [(seeded[-1] - 180 * MINUTE_MS) / 1000],
        )
    out = io.StringIO()
    call_command("seed_history", "--days", "2", stdout=out)
    assert "missing minutes" in out.getvalue()
    refilled = _minutes("BTC-USDT")
    assert set(seeded) <= set(refilled), "the deleted minutes are back"
    steps = {b - a for a, b in itertools.pairwise(refilled)}
    assert steps == {MINUTE_MS}, "no gap and no duplicate minute"
    assert refilled[0] == seeded[0] and refilled[-1] >= seeded[-1]
    with connection.cursor() as cursor:
        # The day windows around the gap were rebuilt from every stored minute.
        cursor.execute(
            "SELECT sum(trades), (SELECT sum(trades) FROM md_kline WHERE exchange = 'sim' AND symbol = 'BTC-USDT'"
            " AND interval = '1m' AND open_time >= to_timestamp(%s)) FROM md_kline"
            " WHERE exchange = 'sim' AND symbol = 'BTC-USDT' AND interval = '1d' AND open_time >= to_timestamp(%s)",
            [(refilled[-1] // DAY_MS * DAY_MS) / 1000, (refilled[-1] // DAY_MS * DAY_MS) / 1000],
        )
        day, minutes = cursor.fetchone()
    assert day == minutes
    # Once more: nothing, or only the minute or two the clock moved on meanwhile.
    out = io.StringIO()
    call_command("seed_history", "--days", "2", stdout=out)
    for line in out.getvalue().splitlines():
        assert "up to date" in line or re.search(r"missing minutes: [12] one-minute klines", line), line
