from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import talib

from backend.engine.aggregate.klines import Kline
from backend.engine.indicators import vwap
from backend.engine.market.intervals import DAY_MS, HOUR_MS
from backend.marketdata.services import import_klines
from tests.tenancy.world import World, build_world

pytestmark = pytest.mark.usefixtures("md_tables")
URL = "/api/v1/market/indicators"
N = 300  # hourly bars, about 12 days: inside the free tier's 30


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def hourly() -> pd.DataFrame:
    """N stored 1h klines of sim BTC-USDT ending before the current hour; returned as floats."""
    rng = np.random.default_rng(5)
    first = (int(time.time() * 1000) // HOUR_MS - N) * HOUR_MS
    close = np.round(60_000 * np.exp(np.cumsum(rng.normal(0, 0.01, N))), 2)
    klines = []
    for i in range(N):
        o = close[i - 1] if i else close[0]
        c = close[i]
        h, low = max(o, c) + round(float(rng.uniform(0, 50)), 2), min(o, c) - round(float(rng.uniform(0, 50)), 2)
        v = round(float(rng.uniform(0.1, 20)), 5)
        prices = (Decimal(str(x)) for x in (o, h, low, c, v))
        klines.append(Kline("sim", "BTC-USDT", "1h", first + i * HOUR_MS, *prices, Decimal(str(round(v * c, 2))), 10))
    import_klines(klines, interval="1h")
    return pd.DataFrame(
        {
            "open_time": [k.open_time for k in klines],
            "open": [float(k.open) for k in klines],
            "high": [float(k.high) for k in klines],
            "low": [float(k.low) for k in klines],
            "close": [float(k.close) for k in klines],
            "volume": [float(k.volume) for k in klines],
        }
    )


def get(world: World, **params: object) -> dict:  # type: ignore[type-arg]
    query = {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1h", **params}
    response = world.client_for_key(world.read_key).get(URL, query)
    assert response.status_code == 200, response.json()
    return response.json()


def test_sma_rows_follow_the_klines_and_match_pandas(world: World, hourly: pd.DataFrame) -> None:
    body = get(world, name="sma", params="period=10", start=int(hourly.open_time[100]), limit=50)
    assert body["name"] == "sma" and body["interval"] == "1h"
    assert body["params"] == {"period": 10} and body["columns"] == ["open_time", "sma"]
    assert [r[0] for r in body["rows"]] == hourly.open_time[100:150].tolist()
    expected = hourly.close.rolling(10).mean()[100:150].to_numpy()
    # The first row is already valid: nine earlier bars were read as warm-up.
    np.testing.assert_allclose([r[1] for r in body["rows"]], expected, rtol=1e-12)


def test_recursive_indicators_warm_up_before_start(world: World, hourly: pd.DataFrame) -> None:
    start = int(hourly.open_time[250])
    body = get(world, name="macd", params="fast=12,slow=26,signal=9", start=start, limit=20)
    assert body["columns"] == ["open_time", "macd", "signal", "hist"]
    assert body["params"] == {"fast": 12, "slow": 26, "signal": 9}
    full = talib.MACD(hourly.close.to_numpy(), 12, 26, 9)
    rows = np.array(body["rows"], dtype=np.float64)
    for column, series in enumerate(full, start=1):
        np.testing.assert_allclose(rows[:, column], series[250:270], atol=1e-3 * np.abs(series[250:270]).max())


def test_without_start_the_latest_rows_up_to_end(world: World, hourly: pd.DataFrame) -> None:
    body = get(world, name="rsi", limit=5)
    assert [r[0] for r in body["rows"]] == hourly.open_time[-5:].tolist()
    body = get(world, name="rsi", end=int(hourly.open_time[200]), limit=3)
    assert [r[0] for r in body["rows"]] == hourly.open_time[198:201].tolist()
    assert all(r[1] is not None and 0 <= r[1] <= 100 for r in body["rows"])


def test_values_are_null_where_no_history_exists(world: World, hourly: pd.DataFrame) -> None:
    body = get(world, name="bbands", params="period=20,k=2.5", start=int(hourly.open_time[0]), limit=25)
    assert body["columns"] == ["open_time", "upper", "middle", "lower"]
    assert all(v is None for row in body["rows"][:19] for v in row[1:])
    assert all(v is not None for row in body["rows"][19:] for v in row[1:])


def test_day_anchored_vwap_reads_back_to_midnight(world: World, hourly: pd.DataFrame) -> None:
    times = hourly.open_time.to_numpy()
    midday = next(i for i in range(100, N) if times[i] % DAY_MS == 13 * HOUR_MS)
    body = get(world, name="vwap", start=int(times[midday]), limit=30)
    expected = vwap(times.astype(np.float64), *(hourly[c].to_numpy() for c in ("high", "low", "close", "volume")))
    np.testing.assert_allclose([r[1] for r in body["rows"]], expected[midday : midday + 30], rtol=1e-12)
    assert body["params"] == {"anchor": 1}


def test_multi_output_and_three_column_indicators(world: World, hourly: pd.DataFrame) -> None:
    for name, columns in [("stoch", ["k", "d"]), ("adx", ["adx"]), ("atr", ["atr"]), ("obv", ["obv"])]:
        body = get(world, name=name, limit=10)
        assert body["columns"] == ["open_time", *columns]
        assert len(body["rows"]) == 10 and all(v is not None for row in body["rows"] for v in row)


def test_no_klines_no_rows(world: World) -> None:
    assert get(world, name="ema", params="period=5")["rows"] == []


@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({"name": "ichimoku"}, "unknown_indicator", None),
        ({"name": ""}, "unknown_indicator", None),
        ({"name": "rsi", "params": "length=14"}, "unknown_param", "length"),
        ({"name": "rsi", "params": "period=abc"}, "invalid_param", "period"),
        ({"name": "rsi", "params": "period=1"}, "param_out_of_range", "period"),
        ({"name": "rsi", "params": "period=100000"}, "param_out_of_range", "period"),
        ({"name": "rsi", "params": "period"}, "invalid_param", "period"),
        ({"name": "rsi", "params": "period=14,period=15"}, "invalid_param", "period"),
        ({"name": "macd", "params": "fast=30,slow=26"}, "invalid_param", "fast"),
        ({"name": "sma", "interval": "7m"}, "unknown_interval", None),
        ({"name": "sma", "limit": 0}, "invalid_input", None),
    ],
)
def test_bad_queries_are_400_with_a_reason(world: World, params: dict, code: str, param: str | None) -> None:  # type: ignore[type-arg]
    query = {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1h", **params}
    response = world.client_for_key(world.read_key).get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    if param is not None:
        assert error["detail"] == {"param": param} and param in error["message"]


def test_day_anchored_vwap_on_one_second_bars_is_refused(world: World) -> None:
    noon = (int(time.time() * 1000) // DAY_MS - 1) * DAY_MS + 12 * HOUR_MS
    import_klines([Kline("sim", "BTC-USDT", "1s", noon, *(Decimal(1) for _ in range(5)), Decimal(1), 1)], interval="1s")
    response = world.client_for_key(world.read_key).get(
        URL, {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1s", "name": "vwap", "start": noon}
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_param"
    ok = world.client_for_key(world.read_key).get(
        URL, {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1s", "name": "vwap", "params": "anchor=0"}
    )
    assert ok.status_code == 200 and ok.json()["rows"] == [[noon, 1.0]]


def test_history_depth_follows_the_tier(world: World) -> None:
    too_old = int(time.time() * 1000) - 31 * DAY_MS
    response = world.client_for_key(world.read_key).get(
        URL, {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1h", "name": "sma", "start": too_old}
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "history_depth_exceeded"


def test_indicators_need_authentication() -> None:
    from rest_framework.test import APIClient

    assert APIClient().get(URL, {"name": "sma"}).status_code == 401
