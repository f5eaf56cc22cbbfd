"""The sandbox as the platform uses it: limits of a tier, a shared engine, the compiled-module cache.

sandbox = Sandbox(limits, cache_dir=Path(".run/wasm-cache"))
module = sandbox.compile(wasm_bytes)              # size cap, imports, exports; cached
strategy = sandbox.instantiate(module, manifest, {"fast": 10})
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import wasmtime

from backend.engine.sandbox.abi import check_exports, check_imports
from backend.engine.sandbox.cache import ModuleCache
from backend.engine.sandbox.errors import ModuleTooLarge
from backend.engine.sandbox.instance import LogSink, SandboxStrategy
from backend.engine.sandbox.limits import SandboxLimits
from backend.engine.sandbox.manifest import Manifest
from backend.engine.sandbox.runtime import DEFAULT_TICK_MS, engine_for


class Sandbox:
    def __init__(self, limits: SandboxLimits, cache_dir: Path | None = None, *, tick_ms: float = DEFAULT_TICK_MS):
        self.limits = limits
        self.engine = engine_for(limits.stack_bytes, tick_ms)
        self.cache = ModuleCache(self.engine, cache_dir, stack_bytes=limits.stack_bytes)

    def compile(self, wasm: bytes) -> wasmtime.Module:
        """The compiled module (from the cache when it has it); raises a classified SandboxError."""
        if len(wasm) > self.limits.module_bytes:
            raise ModuleTooLarge(
                f"the module is {len(wasm):,} bytes, the limit is {self.limits.module_bytes:,}",
                size=len(wasm),
                limit=self.limits.module_bytes,
            )
        module = self.cache.load(wasm)
        check_imports(module)
        check_exports(module)
        return module

    def instantiate(
        self,
        module: wasmtime.Module,
        manifest: Manifest,
        params: Mapping[str, float | int | str] | None = None,
        *,
        log_sink: LogSink | None = None,
    ) -> SandboxStrategy:
        values = manifest.values(manifest.resolve(params or {}))
        return SandboxStrategy(
            self.engine, module, values, limits=self.limits, warmup_bars=manifest.warmup_bars, log_sink=log_sink
        )

    def load(
        self, wasm: bytes, manifest: Manifest, params: Mapping[str, float | int | str] | None = None
    ) -> SandboxStrategy:
        return self.instantiate(self.compile(wasm), manifest, params)
