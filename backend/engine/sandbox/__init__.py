"""The strategy sandbox host: WebAssembly strategies (ABI v1, docs/strategy-abi.md) in wasmtime.

Pure engine code (no Django). `Sandbox` compiles (with a content-hash cache) and
instantiates modules under a tier's `SandboxLimits`; `SandboxStrategy` is a
backend.engine.strategy.protocol.Strategy, so backtests and live runners use it like any
reference strategy; `validate_module` is the upload gate.
"""

from backend.engine.sandbox.errors import SandboxError
from backend.engine.sandbox.host import Sandbox
from backend.engine.sandbox.instance import SandboxStrategy
from backend.engine.sandbox.limits import SandboxLimits
from backend.engine.sandbox.manifest import Manifest, parse_manifest
from backend.engine.sandbox.validate import ValidationReport, validate_module

__all__ = [
    "Manifest",
    "Sandbox",
    "SandboxError",
    "SandboxLimits",
    "SandboxStrategy",
    "ValidationReport",
    "parse_manifest",
    "validate_module",
]
