"""The reference strategies by name, with their parameters' types, defaults and bounds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backend.engine.params import Constraint, ParamSpec, validate_params
from backend.engine.strategies.reference import BollingerBreakout, Macd, MeanReversion, Momentum, Rsi, SmaCross
from backend.engine.strategies.window import WindowStrategy
from backend.engine.strategy.protocol import Strategy


@dataclass(frozen=True, slots=True)
class StrategySpec:
    name: str
    description: str
    params: tuple[ParamSpec, ...]
    make: Callable[[Mapping[str, float]], WindowStrategy]
    constraints: tuple[Constraint, ...] = ()

    def validate(self, params: Mapping[str, float | int | str]) -> dict[str, float]:
        """Defaults filled in; a ParamError (a ValueError) names the first bad parameter."""
        return validate_params(self.params, self.constraints, params)

    def build(self, params: Mapping[str, float]) -> Strategy:
        return self.make(self.validate(params))

    def warmup(self, params: Mapping[str, float]) -> int:
        """Bars before the first output (all earlier outputs are NaN)."""
        return self.make(self.validate(params)).warmup_bars

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "warmup": self.warmup({}),
        }


def _int(name: str, default: int, minimum: int, maximum: int, description: str = "bars") -> ParamSpec:
    return ParamSpec(name, "int", default, minimum, maximum, description)


def _float(name: str, default: float, minimum: float, maximum: float, description: str) -> ParamSpec:
    return ParamSpec(name, "float", default, minimum, maximum, description)


ALLOW_SHORT = _int("allow_short", 0, 0, 1, "1: go short on the opposite signal, 0: stay flat")


def _i(p: Mapping[str, float], name: str) -> int:
    return int(p[name])


def _short(p: Mapping[str, float]) -> bool:
    return p["allow_short"] == 1


REFERENCE_STRATEGIES: dict[str, StrategySpec] = {
    spec.name: spec
    for spec in (
        StrategySpec(
            "sma_cross",
            "Long while the fast SMA of the close is above the slow one; flat (or short) otherwise.",
            (_int("fast", 10, 2, 500), _int("slow", 30, 2, 1000), ALLOW_SHORT),
            lambda p: SmaCross(_i(p, "fast"), _i(p, "slow"), _short(p)),
            (Constraint("fast", "fast must be shorter than slow", lambda p: p["fast"] < p["slow"]),),
        ),
        StrategySpec(
            "momentum",
            "Long when the close rose more than `threshold` over `lookback` bars; out (or short) when it fell more.",
            (
                _int("lookback", 20, 1, 1000),
                _float("threshold", 0.0, 0.0, 1.0, "fractional change, e.g. 0.02 = 2 %"),
                ALLOW_SHORT,
            ),
            lambda p: Momentum(_i(p, "lookback"), p["threshold"], _short(p)),
        ),
        StrategySpec(
            "mean_reversion",
            "Buy when the close's z-score against its `lookback` mean drops below -entry_z; sell above -exit_z.",
            (
                _int("lookback", 20, 2, 1000),
                _float("entry_z", 2.0, 0.1, 10.0, "z-score that opens a position"),
                _float("exit_z", 0.5, 0.0, 10.0, "z-score that closes it"),
                ALLOW_SHORT,
            ),
            lambda p: MeanReversion(_i(p, "lookback"), p["entry_z"], p["exit_z"], _short(p)),
            (Constraint("exit_z", "exit_z must be below entry_z", lambda p: p["exit_z"] < p["entry_z"]),),
        ),
        StrategySpec(
            "rsi",
            "Buy when RSI falls below `lower`; sell (or short) when it rises above `upper`.",
            (
                _int("period", 14, 2, 200),
                _float("lower", 30.0, 0.0, 100.0, "oversold level"),
                _float("upper", 70.0, 0.0, 100.0, "overbought level"),
                ALLOW_SHORT,
            ),
            lambda p: Rsi(_i(p, "period"), p["lower"], p["upper"], _short(p)),
            (Constraint("lower", "lower must be below upper", lambda p: p["lower"] < p["upper"]),),
        ),
        StrategySpec(
            "macd",
            "Long while the MACD line is above its signal line; flat (or short) below it.",
            (_int("fast", 12, 2, 200), _int("slow", 26, 3, 400), _int("signal", 9, 1, 200), ALLOW_SHORT),
            lambda p: Macd(_i(p, "fast"), _i(p, "slow"), _i(p, "signal"), _short(p)),
            (Constraint("fast", "fast must be shorter than slow", lambda p: p["fast"] < p["slow"]),),
        ),
        StrategySpec(
            "bollinger_breakout",
            "Long on a close above the upper Bollinger band until a close below the middle band (mirrored short).",
            (
                _int("period", 20, 2, 1000),
                _float("k", 2.0, 0.1, 10.0, "band width in standard deviations"),
                ALLOW_SHORT,
            ),
            lambda p: BollingerBreakout(_i(p, "period"), p["k"], _short(p)),
        ),
    )
}


def build(name: str, params: Mapping[str, float]) -> Strategy:
    """A fresh reference strategy; ValueError for an unknown name or a bad parameter (named)."""
    spec = REFERENCE_STRATEGIES.get(name)
    if spec is None:
        raise ValueError(f"unknown strategy {name!r}; known: {', '.join(REFERENCE_STRATEGIES)}")
    return spec.build(params)
