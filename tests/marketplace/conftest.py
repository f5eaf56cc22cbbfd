"""Marketplace fixtures: the trading tests' roomy world, the built-in catalogue, eager Celery,
a small platform-backtest data set and an enabled publisher with one listing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.backtests.conftest import eager  # noqa: F401 - fixture
from tests.strategies.conftest import builtins  # noqa: F401 - fixture
from tests.trading.conftest import world  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def small_backtest(settings: Any) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(
        update={"marketplace": settings.CONFIG.marketplace.model_copy(update={"backtest_bars": 600})}
    )


def configured(**changes: Any) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(update={"billing": settings.CONFIG.billing.model_copy(update=changes)})
