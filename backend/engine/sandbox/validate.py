"""Upload-time validation: the checks a module must pass before anyone's account runs it.

In order, each failing with its own code: size, compilation, imports, exports, manifest,
instantiation + qt_abi_version + qt_init with the default parameters, determinism (two
fresh instances, same outputs), no look-ahead (outputs up to bar k unchanged when the
bars after k change), batch == stream (one call over everything equals one call per bar
and equals odd-sized chunks). Outputs are compared bit for bit, NaN equal to NaN.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import cycle
from typing import Any

import numpy as np
import wasmtime

from backend.engine.sandbox.data import random_walk_bars
from backend.engine.sandbox.errors import BatchStreamMismatch, LookAhead, Nondeterministic, SandboxError
from backend.engine.sandbox.host import Sandbox
from backend.engine.sandbox.instance import SandboxStrategy
from backend.engine.sandbox.manifest import Manifest, parse_manifest
from backend.engine.strategy.protocol import CLOSE, OPEN_TIME, Bars, Exposures

VALIDATION_BARS = 3_000
CHUNKS = (1, 2, 3, 5, 8, 13, 64, 257)


@dataclass(slots=True)
class ValidationReport:
    accepted: bool
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    fuel_per_bar: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "code": self.code,
            "message": self.message,
            "fuel_per_bar": self.fuel_per_bar,
            "details": self.details,
        }


def validate_module(
    wasm: bytes, manifest: object, sandbox: Sandbox, *, n_bars: int = VALIDATION_BARS, seed: int = 7
) -> ValidationReport:
    """`manifest` is the decoded JSON (or an already parsed Manifest)."""
    details: dict[str, Any] = {"module_bytes": len(wasm), "limits": sandbox.limits.as_dict()}
    started = time.perf_counter()
    try:
        parsed = manifest if isinstance(manifest, Manifest) else parse_manifest(manifest)
        details["manifest"] = parsed.as_dict()
        module = sandbox.compile(wasm)
        bars = random_walk_bars(n_bars, seed)
        details["validation_bars"] = n_bars
        fuel = _check_behaviour(sandbox, module, parsed, bars, details)
    except SandboxError as exc:
        details.update(exc.details)
        details["seconds"] = round(time.perf_counter() - started, 3)
        return ValidationReport(False, exc.code, exc.message, details, details.get("fuel_per_bar"))
    details["seconds"] = round(time.perf_counter() - started, 3)
    return ValidationReport(True, "ok", "the module is accepted", details, fuel)


def _check_behaviour(
    sandbox: Sandbox, module: wasmtime.Module, manifest: Manifest, bars: Bars, details: dict[str, Any]
) -> float:
    def fresh() -> SandboxStrategy:
        strategy = sandbox.instantiate(module, manifest)
        strategy.track_fuel = True
        return strategy

    first = fresh()
    batch = first.on_bars(bars)
    fuel = first.fuel_used / max(first.bars_seen, 1)
    details["fuel_per_bar"] = round(fuel, 1)
    finite = np.flatnonzero(~np.isnan(batch))
    details["first_output_bar"] = int(finite[0]) if finite.size else None
    details["logs"] = list(first.logs)[:10]

    i = _first_difference(batch, fresh().on_bars(bars))
    if i is not None:
        raise Nondeterministic(f"two fresh instances disagree at bar {i} on the same bars", bar=i)

    n = bars.shape[0]
    for k in (n // 3, (2 * n) // 3):
        i = _first_difference(batch[: k + 1], fresh().on_bars(_other_future(bars, k))[: k + 1])
        if i is not None:
            raise LookAhead(
                f"the output for bar {i} changed when only bars after {k} changed: the module looks ahead",
                bar=i,
                changed_after=k,
            )

    stream = fresh()
    streamed = np.concatenate([stream.on_bars(bars[j : j + 1]) for j in range(n)])
    details["fuel_per_bar_stream"] = round(stream.fuel_used / max(stream.bars_seen, 1), 1)
    i = _first_difference(batch, streamed)
    if i is not None:
        raise BatchStreamMismatch(
            f"bar {i}: one call with all bars gives {batch[i]!r}, one call per bar gives {streamed[i]!r}", bar=i
        )
    chunked = fresh()
    parts, start = [], 0
    for size in cycle(CHUNKS):
        if start >= n:
            break
        parts.append(chunked.on_bars(bars[start : start + size]))
        start += size
    i = _first_difference(batch, np.concatenate(parts))
    if i is not None:
        raise BatchStreamMismatch(f"bar {i}: outputs depend on how the bars are split into calls", bar=i)
    return fuel


def _other_future(bars: Bars, k: int) -> Bars:
    """The same bars up to k; after it a different (still plausible) walk from bar k's close."""
    tail = random_walk_bars(bars.shape[0] - k - 1, seed=1_000 + k, start_price=float(bars[k, CLOSE]))
    out = bars.copy()
    out[k + 1 :, 1:] = tail[:, 1:]
    out[k + 1 :, OPEN_TIME] = bars[k + 1 :, OPEN_TIME]
    return out


def _first_difference(a: Exposures, b: Exposures) -> int | None:
    same = (a.view(np.int64) == b.view(np.int64)) | (np.isnan(a) & np.isnan(b))
    if same.all():
        return None
    return int(np.flatnonzero(~same)[0])
