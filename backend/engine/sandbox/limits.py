"""Resource limits of one sandboxed instance, chosen per tier (config.yaml `sandbox.tiers`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    # Upload size of the .wasm file.
    module_bytes: int = 1 << 20
    # Linear memory the instance may reach (Store limits: memory.grow returns -1 past it).
    memory_bytes: int = 32 << 20
    # Elements across the instance's tables (a huge table is refused at instantiation).
    table_elements: int = 10_000
    # Instances per store: one module, never more.
    instances: int = 1
    # Native stack wasm may use (Config.max_wasm_stack): deep recursion traps, the host survives.
    stack_bytes: int = 512 << 10
    # Fuel (roughly, wasm instructions) for instantiation + start function + qt_init.
    init_fuel: int = 50_000_000
    # Fuel of one qt_on_bars call: base + per_bar x bars in the call.
    fuel_base: int = 1_000_000
    fuel_per_bar: int = 100_000
    # Wall-clock deadline of one call: base + per bar, a backstop for what fuel does not count.
    deadline_ms: int = 100
    deadline_us_per_bar: int = 100
    # Bars per qt_on_bars call: longer inputs are fed in chunks (batch == stream makes it invisible),
    # which bounds the host buffers inside the module's memory.
    max_batch_bars: int = 10_000
    # qt.log: bytes kept per message and messages kept per call; the rest is counted and dropped.
    log_max_bytes: int = 256
    log_max_lines_per_call: int = 8

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"sandbox limit {f.name} must be a non-negative integer, got {value!r}")
        for name in ("module_bytes", "memory_bytes", "instances", "stack_bytes", "max_batch_bars", "deadline_ms"):
            if getattr(self, name) < 1:
                raise ValueError(f"sandbox limit {name} must be at least 1")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SandboxLimits:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown sandbox limits: {', '.join(unknown)}")
        return cls(**{k: int(v) for k, v in values.items()})

    def call_fuel(self, bars: int) -> int:
        return self.fuel_base + self.fuel_per_bar * bars

    def call_deadline_ms(self, bars: int) -> float:
        return self.deadline_ms + self.deadline_us_per_bar * bars / 1000

    def with_(self, **changes: int) -> SandboxLimits:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
