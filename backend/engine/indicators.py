"""Technical indicators: a typed layer over TA-Lib plus a registry an API can validate against.

TA-Lib's C routines do the arithmetic (they are the reference most charting and trading
software agrees with); this module only names parameters, bounds them, says which bar
columns each indicator reads and how many bars it needs before its values are valid.

Inputs are float64 numpy arrays of equal length; outputs have the same length, NaN where
the indicator is not yet defined.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import talib

from backend.engine.market.intervals import DAY_MS
from backend.engine.params import Constraint, ParamError, ParamSpec, validate_params

Series = npt.NDArray[np.float64]
Column = Literal["open_time", "open", "high", "low", "close", "volume"]

# How far the seed of a recursive average (EMA, Wilder) may still weigh on a value we call
# valid: its weight decays as (1 - alpha)^n, and 1e-3 is well below chart resolution.
SEED_WEIGHT = 1e-3


# --- the indicators --------------------------------------------------------------------


def sma(close: Series, period: int = 20) -> Series:
    return talib.SMA(close, timeperiod=period)


def ema(close: Series, period: int = 20) -> Series:
    return talib.EMA(close, timeperiod=period)


def wma(close: Series, period: int = 20) -> Series:
    return talib.WMA(close, timeperiod=period)


def rsi(close: Series, period: int = 14) -> Series:
    return talib.RSI(close, timeperiod=period)


def macd(close: Series, fast: int = 12, slow: int = 26, signal: int = 9) -> tuple[Series, Series, Series]:
    """(macd, signal, histogram)."""
    return talib.MACD(close, fastperiod=fast, slowperiod=slow, signalperiod=signal)


def bbands(close: Series, period: int = 20, k: float = 2.0) -> tuple[Series, Series, Series]:
    """(upper, middle, lower): SMA ± k population standard deviations."""
    return talib.BBANDS(close, timeperiod=period, nbdevup=k, nbdevdn=k)


def atr(high: Series, low: Series, close: Series, period: int = 14) -> Series:
    return talib.ATR(high, low, close, timeperiod=period)


def stoch(
    high: Series, low: Series, close: Series, k_period: int = 14, k_smooth: int = 3, d_period: int = 3
) -> tuple[Series, Series]:
    """Slow stochastic (%K, %D), both SMA-smoothed."""
    return talib.STOCH(high, low, close, fastk_period=k_period, slowk_period=k_smooth, slowd_period=d_period)


def adx(high: Series, low: Series, close: Series, period: int = 14) -> Series:
    return talib.ADX(high, low, close, timeperiod=period)


def obv(close: Series, volume: Series) -> Series:
    return talib.OBV(close, volume)


def vwap(
    open_time_ms: Series, high: Series, low: Series, close: Series, volume: Series, *, anchor_daily: bool = True
) -> Series:
    """Volume-weighted average of the typical price (H+L+C)/3, cumulated from the start or each UTC day.

    TA-Lib has no VWAP (it is a session statistic, not a price filter), so it is computed
    here: cumsum(typical * volume) / cumsum(volume), restarted at every UTC midnight when
    anchored. NaN while no volume has traded since the anchor.
    """
    typical = (high + low + close) / 3.0
    pv = np.cumsum(typical * volume)
    vol = np.cumsum(volume)
    if anchor_daily and len(open_time_ms):
        day = np.floor_divide(open_time_ms, DAY_MS)
        starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
        # Subtract, from every bar, the running totals as they stood just before its day began.
        seg = np.repeat(starts, np.diff(np.r_[starts, len(day)]))
        pv_before = np.r_[0.0, pv][seg]
        vol_before = np.r_[0.0, vol][seg]
        pv, vol = pv - pv_before, vol - vol_before
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(vol > 0, pv / np.where(vol > 0, vol, 1.0), np.nan)
    return out.astype(np.float64)


# --- the registry ----------------------------------------------------------------------


Inputs = Mapping[str, Series]
Compute = Callable[[Inputs, Mapping[str, float]], tuple[Series, ...]]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    name: str
    description: str
    inputs: tuple[Column, ...]
    params: tuple[ParamSpec, ...]
    outputs: tuple[str, ...]
    compute: Compute
    # Index of the first non-NaN output for these parameters (TA-Lib's "lookback").
    lookback: Callable[[Mapping[str, float]], int]
    # Bars after the lookback until a recursive average has forgotten its seed.
    settle: Callable[[Mapping[str, float]], int] = field(default=lambda _: 0)
    constraints: tuple[Constraint, ...] = ()
    # Restarts every UTC day (anchored VWAP): valid only over data reaching back to midnight.
    day_anchored: Callable[[Mapping[str, float]], bool] = field(default=lambda _: False)

    def validate(self, given: Mapping[str, float | int | str]) -> dict[str, float]:
        return validate_params(self.params, self.constraints, given)

    def warmup_bars(self, params: Mapping[str, float]) -> int:
        """Bars of history before the first value that is both defined and independent of where data began."""
        return self.lookback(params) + self.settle(params)

    def history_bars(self, params: Mapping[str, float], first_open_ms: int, interval_ms: int) -> int:
        """Bars to read before a bar opening at first_open_ms so that its value is valid."""
        if self.day_anchored(params):
            return (first_open_ms - first_open_ms // DAY_MS * DAY_MS) // interval_ms
        return self.warmup_bars(params)

    def run(self, columns: Inputs, params: Mapping[str, float]) -> dict[str, Series]:
        """Output name -> series; `params` should come from validate()."""
        missing = [c for c in self.inputs if c not in columns]
        if missing:
            raise ValueError(f"{self.name} needs columns {', '.join(missing)}")
        arrays: dict[str, Series] = {c: np.ascontiguousarray(columns[c], dtype=np.float64) for c in self.inputs}
        return dict(zip(self.outputs, self.compute(arrays, params), strict=True))


def _i(params: Mapping[str, float], name: str) -> int:
    return int(params[name])


def ema_settle(period: float) -> int:
    """Bars for an EMA (alpha = 2/(n+1)) seed's weight to fall below SEED_WEIGHT."""
    return _decay_bars(2.0 / (period + 1.0))


def wilder_settle(period: float) -> int:
    """Bars for a Wilder average (alpha = 1/n) seed's weight to fall below SEED_WEIGHT."""
    return _decay_bars(1.0 / period)


def _decay_bars(alpha: float) -> int:
    if alpha >= 1.0:
        return 0
    return math.ceil(math.log(SEED_WEIGHT) / math.log(1.0 - alpha))


def _period(default: int, maximum: int = 500, minimum: int = 2, name: str = "period") -> ParamSpec:
    return ParamSpec(name, "int", default, minimum, maximum, "bars")


def _no_lookback(params: Mapping[str, float]) -> int:
    return 0


REGISTRY: dict[str, IndicatorSpec] = {
    spec.name: spec
    for spec in (
        IndicatorSpec(
            "sma",
            "Simple moving average of the close",
            ("close",),
            (_period(20),),
            ("sma",),
            lambda c, p: (sma(c["close"], _i(p, "period")),),
            lambda p: _i(p, "period") - 1,
        ),
        IndicatorSpec(
            "ema",
            "Exponential moving average of the close (seeded by an SMA)",
            ("close",),
            (_period(20),),
            ("ema",),
            lambda c, p: (ema(c["close"], _i(p, "period")),),
            lambda p: _i(p, "period") - 1,
            lambda p: ema_settle(p["period"]),
        ),
        IndicatorSpec(
            "wma",
            "Linearly weighted moving average of the close",
            ("close",),
            (_period(20),),
            ("wma",),
            lambda c, p: (wma(c["close"], _i(p, "period")),),
            lambda p: _i(p, "period") - 1,
        ),
        IndicatorSpec(
            "rsi",
            "Relative strength index (Wilder), 0..100",
            ("close",),
            (_period(14),),
            ("rsi",),
            lambda c, p: (rsi(c["close"], _i(p, "period")),),
            lambda p: _i(p, "period"),
            lambda p: wilder_settle(p["period"]),
        ),
        IndicatorSpec(
            "macd",
            "MACD: EMA(fast) - EMA(slow), its EMA(signal), and their difference",
            ("close",),
            (_period(12, name="fast"), _period(26, name="slow"), _period(9, minimum=1, name="signal")),
            ("macd", "signal", "hist"),
            lambda c, p: macd(c["close"], _i(p, "fast"), _i(p, "slow"), _i(p, "signal")),
            lambda p: _i(p, "slow") + _i(p, "signal") - 2,
            lambda p: ema_settle(p["slow"]) + ema_settle(p["signal"]),
            (Constraint("fast", "fast must be shorter than slow", lambda p: p["fast"] < p["slow"]),),
        ),
        IndicatorSpec(
            "bbands",
            "Bollinger bands: SMA(period) ± k standard deviations",
            ("close",),
            (_period(20), ParamSpec("k", "float", 2.0, 0.1, 10.0, "standard deviations")),
            ("upper", "middle", "lower"),
            lambda c, p: bbands(c["close"], _i(p, "period"), p["k"]),
            lambda p: _i(p, "period") - 1,
        ),
        IndicatorSpec(
            "atr",
            "Average true range (Wilder)",
            ("high", "low", "close"),
            (_period(14, minimum=1),),
            ("atr",),
            lambda c, p: (atr(c["high"], c["low"], c["close"], _i(p, "period")),),
            lambda p: _i(p, "period"),
            lambda p: wilder_settle(p["period"]),
        ),
        IndicatorSpec(
            "stoch",
            "Slow stochastic oscillator %K and %D, 0..100",
            ("high", "low", "close"),
            (
                _period(14, minimum=1, name="k_period"),
                _period(3, minimum=1, name="k_smooth"),
                _period(3, minimum=1, name="d_period"),
            ),
            ("k", "d"),
            lambda c, p: stoch(
                c["high"], c["low"], c["close"], _i(p, "k_period"), _i(p, "k_smooth"), _i(p, "d_period")
            ),
            lambda p: _i(p, "k_period") + _i(p, "k_smooth") + _i(p, "d_period") - 3,
        ),
        IndicatorSpec(
            "adx",
            "Average directional index (Wilder), 0..100",
            ("high", "low", "close"),
            (_period(14),),
            ("adx",),
            lambda c, p: (adx(c["high"], c["low"], c["close"], _i(p, "period")),),
            lambda p: 2 * _i(p, "period") - 1,
            lambda p: 2 * wilder_settle(p["period"]),
        ),
        IndicatorSpec(
            "obv",
            "On-balance volume, cumulated from the first bar",
            ("close", "volume"),
            (),
            ("obv",),
            lambda c, p: (obv(c["close"], c["volume"]),),
            _no_lookback,
        ),
        IndicatorSpec(
            "vwap",
            "Volume-weighted average typical price; anchor=1 restarts it every UTC day, anchor=0 cumulates",
            ("open_time", "high", "low", "close", "volume"),
            (ParamSpec("anchor", "int", 1, 0, 1, "1: restart at UTC midnight, 0: from the first bar"),),
            ("vwap",),
            lambda c, p: (
                vwap(c["open_time"], c["high"], c["low"], c["close"], c["volume"], anchor_daily=p["anchor"] == 1),
            ),
            _no_lookback,
            day_anchored=lambda p: p["anchor"] == 1,
        ),
    )
}


class UnknownIndicator(ParamError):
    def __init__(self, name: str) -> None:
        super().__init__("unknown_indicator", None, f"unknown indicator {name!r}; known: {', '.join(sorted(REGISTRY))}")


def get(name: str) -> IndicatorSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownIndicator(name) from None
