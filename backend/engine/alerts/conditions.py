"""What an alert rule watches, parsed from the JSON a customer sends and evaluated here.

Three families:
- price conditions (cross a level, enter/leave a range): on trades, or on kline closes;
- kline conditions (% change, volume spike, indicators) on a chosen interval, evaluated
  on closed klines or on the live (still open) one, as the rule says;
- events (order filled, deployment errored, drawdown breached, subscription lapsed):
  matched on the event's fields.

A kline condition answers "does it hold at the newest bar", crosses meaning "between the
previous bar and the newest". Prices are floats here: alerts compare, they never book.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from backend.engine import indicators as ta

Series = npt.NDArray[np.float64]
MAX_PERIOD = 500


class ConditionError(ValueError):
    """A malformed condition; `code` is the API's reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Bars:
    """Oldest first; the last element is the bar being evaluated (closed or live)."""

    close: Series
    high: Series
    low: Series
    volume: Series


# --- price conditions ---------------------------------------------------------------------


@dataclass(frozen=True)
class PriceCross:
    direction: Literal["above", "below"]
    level: float
    kind: Literal["price_cross"] = "price_cross"

    def levels(self) -> tuple[float, ...]:
        return (self.level,)

    def moved(self, prev: float, cur: float) -> bool:
        if self.direction == "above":
            return prev < self.level <= cur
        return prev > self.level >= cur

    def lookback(self) -> int:
        return 2


@dataclass(frozen=True)
class PriceRange:
    event: Literal["enter", "leave"]
    low: float
    high: float
    kind: Literal["price_range"] = "price_range"

    def levels(self) -> tuple[float, ...]:
        return (self.low, self.high)

    def inside(self, price: float) -> bool:
        return self.low <= price <= self.high

    def moved(self, prev: float, cur: float) -> bool:
        if self.event == "enter":
            return not self.inside(prev) and self.inside(cur)
        return self.inside(prev) and not self.inside(cur)

    def lookback(self) -> int:
        return 2


PriceCondition = PriceCross | PriceRange


def price_holds(condition: PriceCondition, bars: Bars) -> tuple[bool, float | None]:
    """A price condition on kline closes: the move from the previous close to this one."""
    if len(bars.close) < 2:
        return False, None
    cur = float(bars.close[-1])
    return condition.moved(float(bars.close[-2]), cur), cur


# --- kline conditions ---------------------------------------------------------------------


@dataclass(frozen=True)
class PctChange:
    """close vs the close `bars` bars earlier, in percent."""

    bars: int
    pct: float
    direction: Literal["up", "down", "either"]
    kind: Literal["pct_change"] = "pct_change"

    def lookback(self) -> int:
        return self.bars + 1

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        if len(b.close) <= self.bars:
            return False, None
        base = float(b.close[-1 - self.bars])
        change = (float(b.close[-1]) - base) / base * 100.0
        if self.direction == "up":
            return change >= self.pct, change
        if self.direction == "down":
            return change <= -self.pct, change
        return abs(change) >= self.pct, change


@dataclass(frozen=True)
class VolumeSpike:
    """This bar's volume >= multiplier x the mean volume of the `period` bars before it."""

    period: int
    multiplier: float
    kind: Literal["volume_spike"] = "volume_spike"

    def lookback(self) -> int:
        return self.period + 1

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        if len(b.volume) <= self.period:
            return False, None
        mean = float(np.mean(b.volume[-1 - self.period : -1]))
        vol = float(b.volume[-1])
        ratio = vol / mean if mean > 0 else math.inf
        return mean > 0 and ratio >= self.multiplier, ratio if mean > 0 else None


def _last_two(values: Series) -> tuple[float, float]:
    return float(values[-2]), float(values[-1])


def _crossed(op: str, prev: float, cur: float, level: float) -> bool:
    if op == "crosses_above":
        return prev < level <= cur
    return prev > level >= cur


@dataclass(frozen=True)
class IndicatorThreshold:
    """RSI / SMA / EMA value above, below, or crossing a level."""

    indicator: Literal["rsi", "sma", "ema"]
    period: int
    op: Literal["above", "below", "crosses_above", "crosses_below"]
    level: float
    kind: Literal["indicator"] = "indicator"

    def lookback(self) -> int:
        # RSI and EMA are recursive: give the seed room to fade (indicators.SEED_WEIGHT).
        return self.period * (10 if self.indicator != "sma" else 1) + 2

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        fn = {"rsi": ta.rsi, "sma": ta.sma, "ema": ta.ema}[self.indicator]
        if len(b.close) < self.period + 1:
            return False, None
        prev, cur = _last_two(fn(b.close, self.period))
        if math.isnan(cur):
            return False, None
        if self.op == "above":
            return cur > self.level, cur
        if self.op == "below":
            return cur < self.level, cur
        return (not math.isnan(prev)) and _crossed(self.op, prev, cur, self.level), cur


@dataclass(frozen=True)
class MacdCross:
    """MACD line crossing its signal line: bullish = from below to above."""

    direction: Literal["bullish", "bearish"]
    fast: int = 12
    slow: int = 26
    signal: int = 9
    kind: Literal["macd_cross"] = "macd_cross"

    def lookback(self) -> int:
        return (self.slow + self.signal) * 4

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        if len(b.close) < self.slow + self.signal + 1:
            return False, None
        line, signal, _hist = ta.macd(b.close, self.fast, self.slow, self.signal)
        diff_prev, diff_cur = float(line[-2] - signal[-2]), float(line[-1] - signal[-1])
        if math.isnan(diff_prev) or math.isnan(diff_cur):
            return False, None
        if self.direction == "bullish":
            return diff_prev <= 0 < diff_cur, float(line[-1])
        return diff_prev >= 0 > diff_cur, float(line[-1])


@dataclass(frozen=True)
class BollingerTouch:
    """This bar's high reaches the upper band, or its low the lower band."""

    band: Literal["upper", "lower"]
    period: int = 20
    k: float = 2.0
    kind: Literal["bollinger_touch"] = "bollinger_touch"

    def lookback(self) -> int:
        return self.period + 1

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        if len(b.close) < self.period:
            return False, None
        upper, _middle, lower = ta.bbands(b.close, self.period, self.k)
        if self.band == "upper":
            level = float(upper[-1])
            return float(b.high[-1]) >= level, level
        level = float(lower[-1])
        return float(b.low[-1]) <= level, level


@dataclass(frozen=True)
class MaCross:
    """Fast moving average crossing the slow one (above = golden cross)."""

    ma: Literal["sma", "ema"]
    fast: int
    slow: int
    direction: Literal["above", "below"]
    kind: Literal["ma_cross"] = "ma_cross"

    def lookback(self) -> int:
        return self.slow * (10 if self.ma == "ema" else 1) + 2

    def holds(self, b: Bars) -> tuple[bool, float | None]:
        if len(b.close) < self.slow + 1:
            return False, None
        fn = ta.sma if self.ma == "sma" else ta.ema
        fp, fc = _last_two(fn(b.close, self.fast))
        sp, sc = _last_two(fn(b.close, self.slow))
        if any(math.isnan(v) for v in (fp, fc, sp, sc)):
            return False, None
        if self.direction == "above":
            return fp <= sp and fc > sc, fc
        return fp >= sp and fc < sc, fc


KlineCondition = PctChange | VolumeSpike | IndicatorThreshold | MacdCross | BollingerTouch | MaCross


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFilled:
    account: int | None = None
    symbol: str | None = None
    kind: Literal["order_filled"] = "order_filled"

    def matches(self, event: Mapping[str, Any]) -> bool:
        if self.account is not None and event.get("account") != self.account:
            return False
        return self.symbol is None or event.get("symbol") == self.symbol


@dataclass(frozen=True)
class DeploymentErrored:
    deployment: int | None = None
    kind: Literal["deployment_errored"] = "deployment_errored"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return self.deployment is None or event.get("deployment") == self.deployment


@dataclass(frozen=True)
class DrawdownBreached:
    """A paper account's drawdown breaker tripped (trading.account.<tenant>.<account>)."""

    account: int | None = None
    kind: Literal["drawdown_breached"] = "drawdown_breached"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return self.account is None or event.get("account") == self.account


@dataclass(frozen=True)
class SubscriptionLapsed:
    """A subscription of the tenant lapsed (billing.subscription.lapsed.<tenant>): its plan
    ("plan"), or a marketplace listing subscription ("listing", optionally one listing)."""

    subscription: Literal["plan", "listing"] | None = None
    listing: int | None = None
    kind: Literal["subscription_lapsed"] = "subscription_lapsed"

    def matches(self, event: Mapping[str, Any]) -> bool:
        if self.subscription is not None and event.get("subscription") != self.subscription:
            return False
        return self.listing is None or event.get("listing") == self.listing


EventCondition = OrderFilled | DeploymentErrored | DrawdownBreached | SubscriptionLapsed
Condition = PriceCondition | KlineCondition | EventCondition

PRICE_KINDS = frozenset({"price_cross", "price_range"})
KLINE_KINDS = frozenset({"pct_change", "volume_spike", "indicator", "macd_cross", "bollinger_touch", "ma_cross"})
EVENT_KINDS = frozenset({"order_filled", "deployment_errored", "drawdown_breached", "subscription_lapsed"})


# --- parsing ------------------------------------------------------------------------------


def _number(data: Mapping[str, Any], key: str, *, positive: bool = False) -> float:
    raw = data.get(key)
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConditionError("invalid_condition", f"condition.{key} must be a number") from None
    if not math.isfinite(value) or (positive and value <= 0):
        raise ConditionError("invalid_condition", f"condition.{key} must be a {'positive ' if positive else ''}number")
    return value


def _int(data: Mapping[str, Any], key: str, default: int | None = None, lo: int = 1, hi: int = MAX_PERIOD) -> int:
    raw = data.get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, int) or not lo <= raw <= hi:
        raise ConditionError("invalid_condition", f"condition.{key} must be an integer within {lo}..{hi}")
    return raw


def _choice(data: Mapping[str, Any], key: str, options: tuple[str, ...], default: str | None = None) -> Any:
    raw = data.get(key, default)
    if raw not in options:
        raise ConditionError("invalid_condition", f"condition.{key} must be one of {', '.join(options)}")
    return raw


def _check_keys(data: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed - {"type"})
    if extra:
        raise ConditionError("invalid_condition", f"unknown condition field(s): {', '.join(extra)}")


def parse_condition(data: Any) -> Condition:
    if not isinstance(data, Mapping):
        raise ConditionError("invalid_condition", "condition must be an object with a type")
    kind = data.get("type")
    if kind == "price_cross":
        _check_keys(data, {"direction", "level"})
        return PriceCross(_choice(data, "direction", ("above", "below")), _number(data, "level", positive=True))
    if kind == "price_range":
        _check_keys(data, {"event", "low", "high"})
        low, high = _number(data, "low", positive=True), _number(data, "high", positive=True)
        if low >= high:
            raise ConditionError("invalid_condition", "condition.low must be below condition.high")
        return PriceRange(_choice(data, "event", ("enter", "leave")), low, high)
    if kind == "pct_change":
        _check_keys(data, {"bars", "pct", "direction"})
        return PctChange(
            _int(data, "bars"),
            _number(data, "pct", positive=True),
            _choice(data, "direction", ("up", "down", "either")),
        )
    if kind == "volume_spike":
        _check_keys(data, {"period", "multiplier"})
        return VolumeSpike(_int(data, "period", 20, 2), _number(data, "multiplier", positive=True))
    if kind == "indicator":
        _check_keys(data, {"indicator", "period", "op", "level"})
        indicator = data.get("indicator")
        if indicator not in ("rsi", "sma", "ema"):
            raise ConditionError("unknown_indicator", "condition.indicator must be one of rsi, sma, ema")
        return IndicatorThreshold(
            indicator,
            _int(data, "period", 14, 2),
            _choice(data, "op", ("above", "below", "crosses_above", "crosses_below")),
            _number(data, "level"),
        )
    if kind == "macd_cross":
        _check_keys(data, {"direction", "fast", "slow", "signal"})
        fast, slow = _int(data, "fast", 12, 2), _int(data, "slow", 26, 2)
        if fast >= slow:
            raise ConditionError("invalid_condition", "condition.fast must be below condition.slow")
        return MacdCross(_choice(data, "direction", ("bullish", "bearish")), fast, slow, _int(data, "signal", 9))
    if kind == "bollinger_touch":
        _check_keys(data, {"band", "period", "k"})
        k = _number({"k": data.get("k", 2.0)}, "k", positive=True)
        return BollingerTouch(_choice(data, "band", ("upper", "lower")), _int(data, "period", 20, 2), k)
    if kind == "ma_cross":
        _check_keys(data, {"ma", "fast", "slow", "direction"})
        fast, slow = _int(data, "fast", None, 1), _int(data, "slow", None, 2)
        if fast >= slow:
            raise ConditionError("invalid_condition", "condition.fast must be below condition.slow")
        return MaCross(
            _choice(data, "ma", ("sma", "ema"), "sma"), fast, slow, _choice(data, "direction", ("above", "below"))
        )
    if kind == "order_filled":
        _check_keys(data, {"account", "symbol"})
        account = data.get("account")
        symbol = data.get("symbol")
        if account is not None and (isinstance(account, bool) or not isinstance(account, int)):
            raise ConditionError("invalid_condition", "condition.account must be an account id")
        if symbol is not None and not isinstance(symbol, str):
            raise ConditionError("invalid_condition", "condition.symbol must be a string")
        return OrderFilled(account, symbol)
    if kind == "deployment_errored":
        _check_keys(data, {"deployment"})
        dep = data.get("deployment")
        if dep is not None and (isinstance(dep, bool) or not isinstance(dep, int)):
            raise ConditionError("invalid_condition", "condition.deployment must be a deployment id")
        return DeploymentErrored(dep)
    if kind == "drawdown_breached":
        _check_keys(data, {"account"})
        account = data.get("account")
        if account is not None and (isinstance(account, bool) or not isinstance(account, int)):
            raise ConditionError("invalid_condition", "condition.account must be an account id")
        return DrawdownBreached(account)
    if kind == "subscription_lapsed":
        _check_keys(data, {"subscription", "listing"})
        sub = data.get("subscription")
        if sub is not None and sub not in ("plan", "listing"):
            raise ConditionError("invalid_condition", "condition.subscription must be plan or listing")
        listing = data.get("listing")
        if listing is not None and (isinstance(listing, bool) or not isinstance(listing, int)):
            raise ConditionError("invalid_condition", "condition.listing must be a listing id")
        return SubscriptionLapsed(sub, listing)
    known = sorted(PRICE_KINDS | KLINE_KINDS | EVENT_KINDS)
    raise ConditionError("unknown_condition", f"condition.type must be one of {', '.join(known)}")
