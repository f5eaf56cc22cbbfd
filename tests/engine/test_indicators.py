from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backend.engine import indicators
from backend.engine.params import ParamError

DAY = 86_400_000


def columns(n: int, seed: int = 1, step_ms: int = 3_600_000) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    open_ = np.r_[close[:1], close[:-1]]
    return {
        "open_time": (1_704_067_200_000 + step_ms * np.arange(n)).astype(np.float64),
        "open": open_,
        "high": np.maximum(open_, close) * (1 + rng.uniform(0, 0.01, n)),
        "low": np.minimum(open_, close) * (1 - rng.uniform(0, 0.01, n)),
        "close": close,
        "volume": rng.uniform(0, 5, n),
    }


@pytest.mark.parametrize("name", sorted(indicators.REGISTRY))
def test_every_indicator_runs_and_its_lookback_is_the_first_valid_index(name: str) -> None:
    spec = indicators.get(name)
    params = spec.validate({})
    out = spec.run(columns(600), params)
    assert tuple(out) == spec.outputs
    first_valid = max(int(np.argmax(~np.isnan(series))) for series in out.values())
    assert all(len(series) == 600 and series.dtype == np.float64 for series in out.values())
    assert first_valid == spec.lookback(params)
    assert spec.warmup_bars(params) >= spec.lookback(params)


@pytest.mark.parametrize("name", ["ema", "rsi", "macd", "atr", "adx"])
def test_warmup_is_enough_for_recursive_indicators_to_forget_their_seed(name: str) -> None:
    spec = indicators.get(name)
    params = spec.validate({})
    data = columns(3000)
    full = spec.run(data, params)
    start = 3000 - 50 - spec.warmup_bars(params)
    tail = spec.run({k: v[start:] for k, v in data.items()}, params)
    for out in spec.outputs:
        scale = np.nanmax(np.abs(full[out][-50:]))
        np.testing.assert_allclose(tail[out][-50:], full[out][-50:], atol=5e-3 * scale)


def test_sma_and_bbands_match_pandas() -> None:
    close = columns(300)["close"]
    s = pd.Series(close)
    np.testing.assert_allclose(indicators.sma(close, 20)[19:], s.rolling(20).mean()[19:], rtol=1e-12)
    upper, _, lower = indicators.bbands(close, 20, 2.0)
    std = s.rolling(20).std(ddof=0)
    np.testing.assert_allclose(upper[19:], (s.rolling(20).mean() + 2 * std)[19:], rtol=1e-9)
    np.testing.assert_allclose(lower[19:], (s.rolling(20).mean() - 2 * std)[19:], rtol=1e-9)


def test_vwap_anchored_per_utc_day_matches_pandas_groupby() -> None:
    c = columns(24 * 5, step_ms=3_600_000)
    c["open_time"] += 5 * 3_600_000  # days do not start at the first bar
    out = indicators.vwap(c["open_time"], c["high"], c["low"], c["close"], c["volume"], anchor_daily=True)
    df = pd.DataFrame(c)
    df["pv"] = (df.high + df.low + df.close) / 3 * df.volume
    day = (df.open_time // DAY).astype(int)
    expected = df.groupby(day).pv.cumsum() / df.groupby(day).volume.cumsum()
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    cumulative = indicators.vwap(c["open_time"], c["high"], c["low"], c["close"], c["volume"], anchor_daily=False)
    np.testing.assert_allclose(cumulative, df.pv.cumsum() / df.volume.cumsum(), rtol=1e-12)


def test_vwap_is_undefined_until_volume_trades() -> None:
    c = columns(3)
    c["volume"][:] = [0.0, 0.0, 2.0]
    out = indicators.vwap(c["open_time"], c["high"], c["low"], c["close"], c["volume"])
    assert np.isnan(out[:2]).all() and not np.isnan(out[2])


@pytest.mark.parametrize(
    ("name", "params", "code", "param"),
    [
        ("rsi", {"period": "abc"}, "invalid_param", "period"),
        ("rsi", {"period": 1}, "param_out_of_range", "period"),
        ("rsi", {"period": 14.5}, "invalid_param", "period"),
        ("rsi", {"length": 14}, "unknown_param", "length"),
        ("macd", {"fast": 30, "slow": 26}, "invalid_param", "fast"),
        ("bbands", {"k": "inf"}, "invalid_param", "k"),
        ("vwap", {"anchor": 2}, "param_out_of_range", "anchor"),
    ],
)
def test_params_are_validated_with_a_reason(name: str, params: dict[str, object], code: str, param: str) -> None:
    with pytest.raises(ParamError) as caught:
        indicators.get(name).validate(params)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.param) == (code, param)
    assert param in str(caught.value)


def test_unknown_indicator() -> None:
    with pytest.raises(ParamError) as caught:
        indicators.get("ichimoku")
    assert caught.value.code == "unknown_indicator"


def test_defaults_fill_in_and_strings_are_numbers() -> None:
    assert indicators.get("macd").validate({"fast": "5"}) == {"fast": 5.0, "slow": 26.0, "signal": 9.0}
