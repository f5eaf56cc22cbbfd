from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

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
