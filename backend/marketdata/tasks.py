from __future__ import annotations

import time

import structlog
from celery import shared_task
from django.conf import settings
from django.db import connection

from backend.marketdata.partitions import drop_expired
from backend.marketdata.services import uses_native_partitions

log = structlog.get_logger(__name__)


@shared_task(ignore_result=True)
def apply_retention() -> None:
    """Drop trade/kline partitions older than the configured retention (native storage;
    TimescaleDB applies its own retention policies)."""
    if not uses_native_partitions():
        return
    md = settings.CONFIG.marketdata
    now_ms = int(time.time() * 1000)
    with connection.cursor() as wrapper:
        for table, days in (("md_trade", md.trade_retention_days), ("md_kline", md.kline_retention_days)):
            dropped = drop_expired(wrapper.cursor, table, days, now_ms)
            if dropped:
                log.info("marketdata.retention", table=table, dropped=dropped)
