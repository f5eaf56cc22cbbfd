"""The built-in catalogue: the six reference strategies as WebAssembly modules (strategies/build).

They replace the Python reference classes (backend/engine/strategies, kept as the test
oracle) wherever a strategy is named: backtests, and deployments of a built-in.
`sync_builtin` registers them in the database (for the API and for runners on hosts
without the build directory); backtests read the same files, so one module runs both.
Built-ins run under the first configured sandbox tier's limits, which the reference
strategies are tested to fit at their largest parameters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import wasmtime
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.conf.loader import REPO_ROOT
from backend.engine.sandbox import Manifest, Sandbox, SandboxStrategy, parse_manifest
from backend.engine.strategies import REFERENCE_STRATEGIES
from backend.strategies.sandbox import sandbox_for

BUILD_DIR = REPO_ROOT / "strategies" / "build"
BUILTIN_NAMES = tuple(REFERENCE_STRATEGIES)


class BuiltinMissing(RuntimeError):
    def __init__(self, name: str, path: Path) -> None:
        super().__init__(f"the built-in strategy module {path} is missing: run `make strategies`")
        self.name = name


def builtin_tier() -> str:
    return next(iter(settings.CONFIG.sandbox.tiers))


def builtin_sandbox() -> Sandbox:
    return sandbox_for(builtin_tier())


def read_build(name: str, build_dir: Path = BUILD_DIR) -> tuple[bytes, object]:
    wasm, manifest = build_dir / f"{name}.wasm", build_dir / f"{name}.json"
    if not wasm.is_file() or not manifest.is_file():
        raise BuiltinMissing(name, wasm)
    return wasm.read_bytes(), json.loads(manifest.read_text())


@cache
def _compiled(name: str) -> tuple[wasmtime.Module, Manifest]:
    wasm, raw = read_build(name)
    return builtin_sandbox().compile(wasm), parse_manifest(raw)


def builtin_strategy(name: str, params: Mapping[str, float]) -> SandboxStrategy:
    """A fresh instance of a built-in module (compiled once per process)."""
    module, manifest = _compiled(name)
    return builtin_sandbox().instantiate(module, manifest, params)


def is_builtin(name: str) -> bool:
    return name in BUILTIN_NAMES


def sync_builtin(build_dir: Path = BUILD_DIR) -> list[str]:
    """Register (or update) the six reference modules; returns what changed, as 'name@version'."""
    from backend.strategies.models import BuiltinStrategy

    changed = []
    with transaction.atomic():
        for name in BUILTIN_NAMES:
            wasm, raw = read_build(name, build_dir)
            manifest = parse_manifest(raw)
            digest = hashlib.sha256(wasm).hexdigest()
            row = BuiltinStrategy.objects.filter(name=name).first()
            if row is not None and row.sha256 == digest and row.manifest == manifest.as_dict():
                continue
            BuiltinStrategy.objects.update_or_create(
                name=name,
                defaults={
                    "version": manifest.version,
                    "description": manifest.description,
                    "manifest": manifest.as_dict(),
                    "sha256": digest,
                    "wasm": wasm,
                    "synced_at": timezone.now(),
                },
            )
            changed.append(f"{name}@{manifest.version}")
    return changed
