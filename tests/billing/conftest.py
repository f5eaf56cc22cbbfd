"""Billing fixtures: the marketplace tests' world, catalogue, eager Celery and small backtest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backend.tenancy.models import Tier
from tests.backtests.conftest import eager  # noqa: F401 - fixture
from tests.billing.fake_stripe import FakeStripe
from tests.marketplace.conftest import (
    configured,
    small_backtest,  # noqa: F401 - fixture
)
from tests.strategies.conftest import builtins  # noqa: F401 - fixture
from tests.trading.conftest import world  # noqa: F401 - fixture

SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    configured(enabled=True, secret_key="sk_test_x", webhook_secret=SECRET, api_base=fake.url,
               prices={"pro": "price_pro"}, grace_period_days=3)  # fmt: skip
    for code_, name in (("free", "Free"), ("pro", "Pro")):
        Tier.objects.get_or_create(code=code_, defaults={"name": name, "requests_per_minute": 1000,
                                   "requests_per_day": 100000, **dict.fromkeys(Tier.QUOTA_FIELDS, 100)})  # fmt: skip
    yield fake
    fake.close()
