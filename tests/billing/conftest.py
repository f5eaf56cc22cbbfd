"""Billing fixtures: the marketplace tests' world, catalogue, eager Celery and small backtest."""

from __future__ import annotations

from tests.backtests.conftest import eager  # noqa: F401 - fixture
from tests.marketplace.conftest import small_backtest  # noqa: F401 - fixture
from tests.strategies.conftest import builtins  # noqa: F401 - fixture
from tests.trading.conftest import world  # noqa: F401 - fixture
