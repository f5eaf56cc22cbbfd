from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from backend.bus.client import Bus, BusSettings
from backend.marketdata.partitions import forget_known


@pytest.fixture
def md_tables(db: None) -> Iterator[None]:
    """Market-data tables start empty; partitions made inside a rolled-back test are forgotten."""
    forget_known()
    yield
    forget_known()


@pytest.fixture
def md_committed(transactional_db: None) -> Iterator[None]:
    """For tests whose writers are other processes: committed data, truncated afterwards."""
    forget_known()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE md_trade, md_kline")
    yield
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE md_trade, md_kline")
    forget_known()


@pytest.fixture
def namespace() -> Iterator[str]:
    """A bus namespace of its own, so this test's stream holds only its trades."""
    name = f"agg{uuid.uuid4().hex[:8]}"
    yield name

    async def drop() -> None:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=name), name="cleanup")
        for stream in await bus.js.streams_info():
            if stream.config.name and stream.config.name.startswith(f"{name}_"):
                await bus.js.delete_stream(stream.config.name)
        await bus.close()

    asyncio.run(drop())
