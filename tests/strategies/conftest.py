"""Fixtures for the strategies tests: the trading tests' engine and bus namespace, the backtests'
market-data fixtures, and the built-in catalogue registered."""

from __future__ import annotations

import pytest

from backend.strategies.catalogue import sync_builtin
from tests.backtests.conftest import eager, md_tables  # noqa: F401 - fixtures
from tests.trading.conftest import committed_world, engine, namespace, roomy, world  # noqa: F401 - fixtures


@pytest.fixture
def builtins(db: None) -> None:
    sync_builtin()
