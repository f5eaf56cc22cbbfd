"""The JSON manifest beside a module: what it is called, its parameters, warm-up and intervals.

Parameters are passed to qt_init as f64 values in the manifest's order, so the order is
part of the module's interface; values are checked here (type, bounds) before the module
sees them, reusing the reference strategies' ParamSpec rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backend.engine.market.intervals import INTERVALS
from backend.engine.params import ParamError, ParamSpec, validate_params
from backend.engine.sandbox.errors import InvalidParams, ManifestInvalid

MAX_PARAMS = 32
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
VERSION = re.compile(r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
FIELDS = {"name", "version", "description", "params", "warmup_bars", "intervals"}
PARAM_FIELDS = {"name", "type", "default", "min", "max", "description"}


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    version: str
    description: str
    params: tuple[ParamSpec, ...]
    warmup_bars: int
    intervals: tuple[str, ...]

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def resolve(self, given: Mapping[str, float | int | str]) -> dict[str, float]:
        """Defaults filled in and every value checked; InvalidParams names the bad one."""
        try:
            return validate_params(self.params, (), given)
        except ParamError as exc:
            raise InvalidParams(str(exc), param=exc.param, reason=exc.code) from None

    def values(self, resolved: Mapping[str, float]) -> list[float]:
        """What qt_init receives: the values in declaration order."""
        return [float(resolved[p.name]) for p in self.params]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "warmup_bars": self.warmup_bars,
            "intervals": list(self.intervals),
        }


def _bad(message: str, field: str) -> ManifestInvalid:
    return ManifestInvalid(f"manifest: {field}: {message}", field=field)


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"must be a finite number, got {value!r}", field)
    return float(value)


def _param(raw: object, i: int) -> ParamSpec:
    where = f"params[{i}]"
    if not isinstance(raw, dict):
        raise _bad("must be an object with name, type, default, min, max", where)
    missing = sorted({"name", "type", "default", "min", "max"} - set(raw))
    if missing:
        raise _bad(f"missing {', '.join(missing)}", where)
    extra = sorted(set(raw) - PARAM_FIELDS)
    if extra:
        raise _bad(f"unknown field {', '.join(extra)}", where)
    name = raw["name"]
    if not isinstance(name, str) or not NAME.match(name):
        raise _bad(f"name must match {NAME.pattern}, got {name!r}", f"{where}.name")
    kind = raw["type"]
    if kind not in ("int", "float"):
        raise _bad(f"type must be int or float, got {kind!r}", f"{where}.type")
    default, low, high = (_number(raw[k], f"{where}.{k}") for k in ("default", "min", "max"))
    if kind == "int" and not all(v.is_integer() for v in (default, low, high)):
        raise _bad("an int parameter needs integer default, min and max", where)
    if not low <= default <= high:
        raise _bad(f"default {default:g} must be within min {low:g} .. max {high:g}", where)
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise _bad("description must be a string", f"{where}.description")
    return ParamSpec(name, kind, default, low, high, description)


def parse_manifest(raw: object) -> Manifest:
    """A Manifest from decoded JSON; ManifestInvalid naming the first bad field."""
    if not isinstance(raw, dict):
        raise _bad("must be a JSON object", "(root)")
    missing = sorted(FIELDS - set(raw))
    if missing:
        raise _bad(f"missing {', '.join(missing)}", "(root)")
    extra = sorted(set(raw) - FIELDS)
    if extra:
        raise _bad(f"unknown field {', '.join(extra)}", "(root)")
    name, version, description = raw["name"], raw["version"], raw["description"]
    if not isinstance(name, str) or not NAME.match(name):
        raise _bad(f"must match {NAME.pattern}, got {name!r}", "name")
    if not isinstance(version, str) or not VERSION.match(version):
        raise _bad(f"must be a semantic version like 1.0.0, got {version!r}", "version")
    if not isinstance(description, str) or len(description) > 2000:
        raise _bad("must be a string of at most 2000 characters", "description")
    params_raw = raw["params"]
    if not isinstance(params_raw, list) or len(params_raw) > MAX_PARAMS:
        raise _bad(f"must be a list of at most {MAX_PARAMS} parameters", "params")
    params = tuple(_param(p, i) for i, p in enumerate(params_raw))
    names = [p.name for p in params]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _bad(f"duplicate parameter {', '.join(dupes)}", "params")
    warmup = raw["warmup_bars"]
    if isinstance(warmup, bool) or not isinstance(warmup, int) or not 0 <= warmup <= 100_000:
        raise _bad(f"must be an integer within 0..100000, got {warmup!r}", "warmup_bars")
    intervals = raw["intervals"]
    if not isinstance(intervals, list) or not intervals:
        raise _bad("must be a non-empty list of intervals", "intervals")
    for iv in intervals:
        if iv not in INTERVALS:
            raise _bad(f"unknown interval {iv!r}; known: {', '.join(INTERVALS)}", "intervals")
    if len(set(intervals)) != len(intervals):
        raise _bad("duplicate interval", "intervals")
    return Manifest(name, version, description, params, warmup, tuple(intervals))
