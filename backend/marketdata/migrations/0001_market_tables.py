"""Trades and klines: range-partitioned tables on plain PostgreSQL, hypertables on TimescaleDB.

Both paths keep the same columns, keys and queries. Natively, partitions are created
on demand by the writer (backend/marketdata/partitions.py); with TimescaleDB, chunks,
compression and retention are the extension's (policies added here).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations

from backend.marketdata.storage import storage_mode

TABLES_SQL = """
CREATE TABLE md_trade (
    exchange text NOT NULL,
    symbol text NOT NULL,
    trade_id bigint NOT NULL,
    ts timestamptz NOT NULL,
    price numeric NOT NULL CHECK (price > 0),
    qty numeric NOT NULL CHECK (qty > 0),
    side text NOT NULL CHECK (side IN ('buy', 'sell')),
    recv_ts timestamptz NOT NULL,
    -- Time before id: the key is unique on the same columns either way, and in this
    -- order it also serves per-market time-range reads, so no second index is kept up.
    PRIMARY KEY (exchange, symbol, ts, trade_id)
){partition_trade};

CREATE TABLE md_kline (
    exchange text NOT NULL,
    symbol text NOT NULL,
    interval text NOT NULL,
    open_time timestamptz NOT NULL,
    open numeric NOT NULL,
    high numeric NOT NULL,
    low numeric NOT NULL,
    close numeric NOT NULL,
    volume numeric NOT NULL,
    quote_volume numeric NOT NULL,
    trades bigint NOT NULL,
    -- (ts, trade id) of the first and last trade: decides open/close when late trades arrive.
    first_ts bigint NOT NULL,
    first_id bigint NOT NULL,
    last_ts bigint NOT NULL,
    last_id bigint NOT NULL,
    revision integer NOT NULL DEFAULT 0,
    PRIMARY KEY (exchange, symbol, interval, open_time)
){partition_kline};
"""

NATIVE = {"partition_trade": " PARTITION BY RANGE (ts)", "partition_kline": " PARTITION BY RANGE (open_time)"}
HYPER = {"partition_trade": "", "partition_kline": ""}

# TimescaleDB: one-day trade chunks and 30-day kline chunks; trades compressed after a
# week (segmented by market, so per-market range scans stay cheap) and dropped after
# the configured retention by the extension's background jobs.
TIMESCALE_SQL = """
SELECT create_hypertable('md_trade', by_range('ts', INTERVAL '1 day'));
SELECT create_hypertable('md_kline', by_range('open_time', INTERVAL '30 days'));
ALTER TABLE md_trade SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'exchange, symbol',
    timescaledb.compress_orderby = 'ts DESC, trade_id DESC'
);
SELECT add_compression_policy('md_trade', INTERVAL '7 days');
"""

NATIVE_SQL = """
-- BRIN: tiny, and ideal for append-mostly time columns.
CREATE INDEX md_trade_ts_brin ON md_trade USING brin (ts);
"""


def create_tables(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        mode = storage_mode(cursor, settings.CONFIG.database.timescaledb)
        if mode == "timescaledb":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
            cursor.execute(TABLES_SQL.format(**HYPER))
            cursor.execute(TIMESCALE_SQL)
            md = settings.CONFIG.marketdata
            for table, days in (("md_trade", md.trade_retention_days), ("md_kline", md.kline_retention_days)):
                if days > 0:
                    cursor.execute("SELECT add_retention_policy(%s, make_interval(days => %s))", [table, days])
        else:
            cursor.execute(TABLES_SQL.format(**NATIVE))
            cursor.execute(NATIVE_SQL)


def drop_tables(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS md_trade, md_kline CASCADE")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create_tables, drop_tables)]
