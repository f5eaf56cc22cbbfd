"""Named numeric parameters with bounds, shared by indicators and strategies.

Validation happens at the edge (API, strategy registry) and fails naming the parameter,
with a stable reason code an API can return.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

ParamKind = Literal["int", "float"]


class ParamError(ValueError):
    """A bad indicator or strategy parameter; `code` is a stable reason, `param` names it."""

    def __init__(self, code: str, param: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.param = param


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str
    kind: ParamKind
    default: float
    minimum: float
    maximum: float
    description: str = ""

    def coerce(self, value: float | int | str) -> float:
        """The value as a number within bounds, or ParamError naming this parameter."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ParamError("invalid_param", self.name, f"{self.name} must be a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ParamError("invalid_param", self.name, f"{self.name} must be finite, got {value!r}")
        if self.kind == "int" and not number.is_integer():
            raise ParamError("invalid_param", self.name, f"{self.name} must be an integer, got {value!r}")
        if not self.minimum <= number <= self.maximum:
            raise ParamError(
                "param_out_of_range",
                self.name,
                f"{self.name} must be within {_fmt(self.minimum)}..{_fmt(self.maximum)}, got {_fmt(number)}",
            )
        return number

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.kind,
            "default": _num(self.kind, self.default),
            "min": _num(self.kind, self.minimum),
            "max": _num(self.kind, self.maximum),
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Constraint:
    """A rule across parameters; `param` is the one blamed when it fails."""

    param: str
    message: str
    holds: Callable[[Mapping[str, float]], bool]


def validate_params(
    specs: tuple[ParamSpec, ...], constraints: tuple[Constraint, ...], given: Mapping[str, float | int | str]
) -> dict[str, float]:
    """Defaults filled in, values checked; raises ParamError naming the first bad parameter."""
    known = {p.name: p for p in specs}
    for name in given:
        if name not in known:
            raise ParamError("unknown_param", name, f"unknown parameter {name!r}; known: {', '.join(known) or 'none'}")
    values = {p.name: p.coerce(given[p.name]) if p.name in given else p.default for p in specs}
    for rule in constraints:
        if not rule.holds(values):
            raise ParamError("invalid_param", rule.param, rule.message)
    return values


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _num(kind: ParamKind, x: float) -> float | int:
    return int(x) if kind == "int" else float(x)
