"""The wasm modules are the built-in catalogue: the backtest API runs them, and gives the same metrics
and trades as the Python reference strategies (the oracle) on the same data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.serializers.json import DjangoJSONEncoder

from backend.backtests import runs
from backend.backtests.klines import sizes
from backend.engine.sandbox import SandboxStrategy
from backend.engine.strategies import REFERENCE_STRATEGIES
from tests.backtests.data import EXCHANGE, SYMBOL, import_klines, random_bars, recent_t0
from tests.tenancy.world import World

N = 2_000
CASES = [(name, {}) for name in REFERENCE_STRATEGIES] + [("sma_cross", {"fast": 7, "slow": 40, "allow_short": 1})]


@pytest.fixture
def bars(md_tables: None, tmp_path: Path) -> np.ndarray:
    data = random_bars(N, t0=recent_t0(), seed=11)
    import_klines(tmp_path, data)
    return data


def oracle(name: str, params: dict[str, Any], bars: np.ndarray) -> dict[str, Any]:
    """What the API stores, computed with the Python reference class instead of the module."""
    resolved = runs.validated_params(name, params)
    tick, lot = sizes(EXCHANGE, SYMBOL)
    config = runs.backtest_config(
        params=resolved, cash=runs.Decimal(10_000), commission=runs.Decimal("0.001"),
        slippage_bps=runs.Decimal(1), interval="1m", symbol=SYMBOL, tick_size=tick, lot_size=lot,
    )  # fmt: skip
    result = runs.execute(lambda: REFERENCE_STRATEGIES[name].build(resolved), resolved, bars, config)
    out = {"metrics": runs.summary(result), "trades": [runs.trade_row(t) for t in result.trades]}
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def test_named_strategies_build_the_wasm_module() -> None:
    for name in REFERENCE_STRATEGIES:
        assert isinstance(runs.build(name, runs.validated_params(name, {})), SandboxStrategy)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{'-' + str(p) if p else ''}" for n, p in CASES])
def test_backtest_api_wasm_equals_the_python_reference(
    world: World, bars: np.ndarray, eager: None, django_capture_on_commit_callbacks: Any, name: str, params: Any
) -> None:
    client = world.client_for_key(world.admin_key)
    body = {
        "strategy": name, "params": params, "exchange": EXCHANGE, "symbol": SYMBOL, "interval": "1m",
        "start": int(bars[0, 0]), "end": int(bars[-1, 0]), "cash": "10000", "commission": "0.001",
        "slippage_bps": "1",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/backtests", body, format="json")
    assert created.status_code == 202, created.content
    detail = client.get(f"/api/v1/backtests/{created.json()['id']}").json()
    assert detail["status"] == "succeeded", detail["error"]
    expected = oracle(name, params, bars)
    assert detail["trades"] == expected["trades"]
    assert detail["metrics"] == expected["metrics"]
    assert detail["metrics"]["trades"] > 0
