from __future__ import annotations

from collections.abc import Iterator

import pytest

from backend.celery import app
from backend.marketdata.partitions import forget_known
from tests.tenancy.world import World, build_world


@pytest.fixture
def md_tables(db: None) -> Iterator[None]:
    """Market-data tables start empty; partitions made inside a rolled-back test are forgotten."""
    forget_known()
    yield
    forget_known()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def eager() -> Iterator[None]:
    """Tasks run in the calling process, inside the test's transaction (the real DB and Redis)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
