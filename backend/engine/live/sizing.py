"""How a deployment turns a target exposure into a position size.

- fixed_fraction: exposure x fraction of account equity (fraction 1 = the strategy's own sizing,
  which is what a backtest does).
- volatility_target: the "turtle" unit (a one-ATR move changes equity by risk_per_atr) scaled by
  |exposure|, capped at max_fraction of equity; ATR is the mean true range of the last atr_bars.
- kelly_cap: |exposure| capped at the Kelly fraction for a declared win rate and payoff (scaled,
  capped): the owner states the edge they believe in, the cap keeps a strategy from betting more.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from backend.engine.trading.sizing import exposure_decimal, exposure_qty, kelly_fraction, volatility_target
from backend.engine.trading.spec import floor_to

MODES = ("fixed_fraction", "volatility_target", "kelly_cap")
ZERO = Decimal(0)


class SizingError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _number(params: dict[str, Any], name: str, default: float | None, lo: float, hi: float) -> float:
    raw = params.get(name, default)
    if raw is None:
        raise SizingError(f"sizing parameter {name} is required", name)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SizingError(f"sizing parameter {name} must be a number", name) from None
    if not lo <= value <= hi:
        raise SizingError(f"sizing parameter {name} must be within [{lo}, {hi}]", name)
    return value


@dataclass(slots=True)
class Sizing:
    mode: str
    fraction: float = 1.0
    risk_per_atr: Decimal = Decimal("0.01")
    max_fraction: Decimal = Decimal(1)
    atr_bars: int = 14
    kelly_cap: float = 1.0
    _ranges: deque[float] = field(default_factory=lambda: deque(maxlen=14))
    _prev_close: float | None = None

    def __post_init__(self) -> None:
        # The ATR is the mean of the last atr_bars true ranges: the window must hold exactly that many
        # (the field's default holds 14, whatever atr_bars says, unless the caller passed its own).
        if self._ranges.maxlen != self.atr_bars:
            self._ranges = deque(self._ranges, maxlen=self.atr_bars)

    def observe(self, high: float, low: float, close: float) -> None:
        """Feed every bar (only volatility targeting keeps the true ranges)."""
        if self.mode != "volatility_target":
            return
        prev = self._prev_close
        tr = high - low if prev is None else max(high - low, abs(high - prev), abs(low - prev))
        self._ranges.append(tr)
        self._prev_close = close

    @property
    def atr(self) -> float | None:
        if len(self._ranges) < self.atr_bars:
            return None
        return sum(self._ranges) / len(self._ranges)

    def cap(self, exposure: float) -> float:
        """The exposure the deployment targets for the strategy's combined exposure."""
        if self.mode == "fixed_fraction":
            return exposure * self.fraction
        if self.mode == "kelly_cap":
            return max(-self.kelly_cap, min(self.kelly_cap, exposure))
        return exposure

    def target_qty(self, exposure: float, equity: Decimal, price: Decimal, lot: Decimal | None) -> Decimal:
        """Signed position for the target exposure at this price and equity, rounded toward zero to the lot."""
        e = exposure_decimal(exposure)
        if self.mode != "volatility_target":
            return exposure_qty(e, equity, price, lot)
        atr = self.atr
        if atr is None or atr <= 0 or e == 0:
            return ZERO  # no volatility estimate yet: stay out rather than guess a size
        unit = volatility_target(
            equity, price, Decimal(repr(atr)), lot, risk_per_atr=self.risk_per_atr, max_fraction=self.max_fraction
        )
        qty = floor_to(unit * abs(e), lot)
        return -qty if e < 0 else qty


def parse_sizing(mode: str, params: dict[str, Any]) -> Sizing:
    """A Sizing from the API's (mode, params); SizingError names the bad field."""
    if mode not in MODES:
        raise SizingError(f"sizing must be one of {', '.join(MODES)}", "sizing")
    allowed = {
        "fixed_fraction": {"fraction"},
        "volatility_target": {"risk_per_atr", "max_fraction", "atr_bars"},
        "kelly_cap": {"win_rate", "payoff", "scale", "cap"},
    }[mode]
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise SizingError(f"unknown sizing parameter {unknown[0]} for {mode}", unknown[0])
    if mode == "fixed_fraction":
        return Sizing(mode, fraction=_number(params, "fraction", 1.0, 0.0, 1.0))
    if mode == "volatility_target":
        bars = int(_number(params, "atr_bars", 14, 2, 500))
        return Sizing(
            mode,
            risk_per_atr=Decimal(repr(_number(params, "risk_per_atr", 0.01, 0.0001, 1.0))),
            max_fraction=Decimal(repr(_number(params, "max_fraction", 1.0, 0.0, 1.0))),
            atr_bars=bars,
            _ranges=deque(maxlen=bars),
        )
    win_rate = Decimal(repr(_number(params, "win_rate", None, 0.0, 1.0)))
    payoff = Decimal(repr(_number(params, "payoff", None, 0.0001, 1000.0)))
    scale = Decimal(repr(_number(params, "scale", 1.0, 0.0, 1.0)))
    cap = Decimal(repr(_number(params, "cap", 0.25, 0.0, 1.0)))
    return Sizing(mode, kelly_cap=float(kelly_fraction(win_rate, payoff, scale=scale, cap=cap)))


def sizing_warmup(sizing: Sizing) -> int:
    return sizing.atr_bars if sizing.mode == "volatility_target" else 0
