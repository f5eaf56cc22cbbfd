"""These tests need no database, Redis or NATS: only the modules `make strategies` builds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Overrides the suite-wide Redis flush: nothing here touches the cache."""
    yield
