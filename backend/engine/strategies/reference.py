"""Built-in reference strategies: textbook rules over backend.engine.indicators.

Each outputs a target exposure per bar: +1 long, -1 short (only with allow_short), 0 flat.
Rules with an entry and a separate exit condition keep the position in between.
"""

from __future__ import annotations

import math

from backend.engine import indicators
from backend.engine.indicators import ema_settle, wilder_settle
from backend.engine.strategies.window import WindowStrategy
from backend.engine.strategy.protocol import CLOSE, Bars


class SmaCross(WindowStrategy):
    """Long while SMA(fast) > SMA(slow); otherwise flat, or short below it with allow_short."""

    def __init__(self, fast: int, slow: int, allow_short: bool) -> None:
        super().__init__(slow)
        self.fast, self.slow, self.allow_short = fast, slow, allow_short

    def decide(self, window: Bars, position: float) -> float:
        close = window[:, CLOSE]
        fast = indicators.sma(close, self.fast)[-1]
        slow = indicators.sma(close, self.slow)[-1]
        if fast > slow:
            return 1.0
        if fast < slow and self.allow_short:
            return -1.0
        return 0.0


class Momentum(WindowStrategy):
    """Long when the return over `lookback` bars exceeds +threshold, out (or short) below -threshold."""

    def __init__(self, lookback: int, threshold: float, allow_short: bool) -> None:
        super().__init__(lookback + 1)
        self.threshold, self.allow_short = threshold, allow_short

    def decide(self, window: Bars, position: float) -> float:
        first, last = window[0, CLOSE], window[-1, CLOSE]
        if first <= 0:
            return math.nan
        change = last / first - 1.0
        if change > self.threshold:
            return 1.0
        if change < -self.threshold:
            return -1.0 if self.allow_short else 0.0
        return math.nan


class MeanReversion(WindowStrategy):
    """Z-score of the close against SMA/stddev(lookback): buy below -entry_z, sell back above -exit_z.

    With allow_short the mirror image: short above +entry_z, cover below +exit_z.
    """

    def __init__(self, lookback: int, entry_z: float, exit_z: float, allow_short: bool) -> None:
        super().__init__(lookback)
        self.lookback, self.entry_z, self.exit_z, self.allow_short = lookback, entry_z, exit_z, allow_short

    def decide(self, window: Bars, position: float) -> float:
        close = window[:, CLOSE]
        upper, middle, _ = indicators.bbands(close, self.lookback, 1.0)
        std = upper[-1] - middle[-1]
        if not std > 0:
            return math.nan  # a flat window has no z-score
        z = (close[-1] - middle[-1]) / std
        if position > 0:
            return 0.0 if z >= -self.exit_z else math.nan
        if position < 0:
            return 0.0 if z <= self.exit_z else math.nan
        if z <= -self.entry_z:
            return 1.0
        if z >= self.entry_z and self.allow_short:
            return -1.0
        return math.nan


class Rsi(WindowStrategy):
    """Buy when RSI(period) falls below `lower`, leave (or go short) when it rises above `upper`."""

    def __init__(self, period: int, lower: float, upper: float, allow_short: bool) -> None:
        super().__init__(period + 1 + wilder_settle(period))
        self.period, self.lower, self.upper, self.allow_short = period, lower, upper, allow_short

    def decide(self, window: Bars, position: float) -> float:
        value = indicators.rsi(window[:, CLOSE], self.period)[-1]
        if math.isnan(value):
            return math.nan
        if value < self.lower:
            return 1.0
        if value > self.upper:
            return -1.0 if self.allow_short else 0.0
        return math.nan


class Macd(WindowStrategy):
    """Long while the MACD line is above its signal line (histogram > 0); flat or short below."""

    def __init__(self, fast: int, slow: int, signal: int, allow_short: bool) -> None:
        super().__init__(slow + signal - 1 + ema_settle(slow) + ema_settle(signal))
        self.fast, self.slow, self.signal, self.allow_short = fast, slow, signal, allow_short

    def decide(self, window: Bars, position: float) -> float:
        _, _, hist = indicators.macd(window[:, CLOSE], self.fast, self.slow, self.signal)
        h = hist[-1]
        if math.isnan(h):
            return math.nan
        if h > 0:
            return 1.0
        if h < 0 and self.allow_short:
            return -1.0
        return 0.0


class BollingerBreakout(WindowStrategy):
    """Long on a close above the upper band, out when the close falls back below the middle band.

    With allow_short also short on a close below the lower band, covered above the middle.
    """

    def __init__(self, period: int, k: float, allow_short: bool) -> None:
        super().__init__(period)
        self.period, self.k, self.allow_short = period, k, allow_short

    def decide(self, window: Bars, position: float) -> float:
        close = window[:, CLOSE]
        upper, middle, lower = (band[-1] for band in indicators.bbands(close, self.period, self.k))
        last = close[-1]
        if position > 0:
            return 0.0 if last < middle else math.nan
        if position < 0:
            return 0.0 if last > middle else math.nan
        if last > upper:
            return 1.0
        if last < lower and self.allow_short:
            return -1.0
        return math.nan
