"""Compiled modules by content hash: compile once, deserialize on every later start.

Files are `<sha256(wasm)>-<engine fingerprint>.cwasm` holding a SHA-256 of the artifact
followed by the artifact. wasmtime trusts deserialized code completely (it is machine
code), so a file whose digest does not match - a torn write, a flipped bit, a stranger's
edit - is never deserialized: it is recompiled and rewritten. Writes go to a temporary
file renamed into place, so concurrent workers never see half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import wasmtime

from backend.engine.sandbox.errors import InvalidModule
from backend.engine.sandbox.runtime import engine_fingerprint

DIGEST = 32


@dataclass(slots=True)
class CacheStats:
    compiled: int = 0
    deserialized: int = 0
    memory_hits: int = 0
    corrupt: int = 0


def content_hash(wasm: bytes) -> str:
    return hashlib.sha256(wasm).hexdigest()


class ModuleCache:
    """Per-process memo in front of an on-disk cache (None: memory only)."""

    def __init__(self, engine: wasmtime.Engine, directory: Path | None, *, stack_bytes: int) -> None:
        self.engine = engine
        self.directory = directory
        self.fingerprint = engine_fingerprint(stack_bytes)
        self.stats = CacheStats()
        self._modules: dict[str, wasmtime.Module] = {}
        self._lock = threading.Lock()

    def path_for(self, digest: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{digest}-{self.fingerprint}.cwasm"

    def load(self, wasm: bytes) -> wasmtime.Module:
        """The compiled module; InvalidModule if wasmtime refuses the bytes."""
        digest = content_hash(wasm)
        with self._lock:
            module = self._modules.get(digest)
            if module is not None:
                self.stats.memory_hits += 1
                return module
            path = self.path_for(digest)
            module = self._read(path) if path is not None else None
            if module is None:
                module = self._compile(wasm)
                if path is not None:
                    self._write(path, module)
            self._modules[digest] = module
            return module

    def _compile(self, wasm: bytes) -> wasmtime.Module:
        try:
            module = wasmtime.Module(self.engine, wasm)
        except wasmtime.WasmtimeError as exc:
            raise InvalidModule(f"not a valid WebAssembly module: {_first_line(exc)}") from None
        self.stats.compiled += 1
        return module

    def _read(self, path: Path) -> wasmtime.Module | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        artifact = data[DIGEST:]
        if len(data) <= DIGEST or hashlib.sha256(artifact).digest() != data[:DIGEST]:
            self.stats.corrupt += 1
            return None
        try:
            module = wasmtime.Module.deserialize(self.engine, artifact)
        except wasmtime.WasmtimeError:
            self.stats.corrupt += 1  # e.g. written by another wasmtime build with the same fingerprint
            return None
        self.stats.deserialized += 1
        return module

    def _write(self, path: Path, module: wasmtime.Module) -> None:
        artifact = bytes(module.serialize())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cwasm")
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(artifact).digest())
                f.write(artifact)
            Path(tmp).replace(path)
        except OSError:
            pass  # a read-only or full cache directory costs a recompile next time, nothing more


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
