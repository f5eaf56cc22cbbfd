"""Installs made before the trade key was reordered: (exchange, symbol, trade_id, ts) plus
an index on (exchange, symbol, ts) become one key on (exchange, symbol, ts, trade_id).

Same uniqueness (the same columns), one index fewer to maintain on every insert.
TimescaleDB installs keep the old shape: a compressed hypertable cannot change its key
in place, and the old shape is correct, only slower to write.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations

from backend.marketdata.storage import storage_mode


def reorder_key(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if storage_mode(cursor, settings.CONFIG.database.timescaledb) != "native":
            return
        cursor.execute("SELECT to_regclass('md_trade_market_ts') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return  # created by the current 0001: already in shape
        cursor.execute("ALTER TABLE md_trade DROP CONSTRAINT md_trade_pkey")
        cursor.execute("ALTER TABLE md_trade ADD PRIMARY KEY (exchange, symbol, ts, trade_id)")
        cursor.execute("DROP INDEX md_trade_market_ts")


class Migration(migrations.Migration):
    dependencies = [("marketdata", "0002_instruments")]
    operations = [migrations.RunPython(reorder_key, migrations.RunPython.noop)]
