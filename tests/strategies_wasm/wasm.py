"""A minimal wasmtime harness for the compiled strategy modules (ABI v1), independent of the sandbox host."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import wasmtime

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "strategies" / "build"
REFERENCE = ("sma_cross", "momentum", "mean_reversion", "rsi", "macd", "bollinger_breakout")

_ENGINE = wasmtime.Engine()
_MODULES: dict[str, wasmtime.Module] = {}

F64 = npt.NDArray[np.float64]


def built(name: str) -> Path:
    path = BUILD / f"{name}.wasm"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make strategies`"
    return path


def module(name: str) -> wasmtime.Module:
    if name not in _MODULES:
        _MODULES[name] = wasmtime.Module(_ENGINE, built(name).read_bytes())
    return _MODULES[name]


def manifest(name: str) -> dict[str, Any]:
    built(name)
    return json.loads((BUILD / f"{name}.json").read_text())


class Instance:
    """One fresh instance; qt.log is linked (and its lines kept) only if the module imports it."""

    def __init__(self, name: str) -> None:
        self.store = wasmtime.Store(_ENGINE)
        self.logs: list[str] = []
        linker = wasmtime.Linker(_ENGINE)
        log_type = wasmtime.FuncType([wasmtime.ValType.i32(), wasmtime.ValType.i32()], [])
        linker.define_func("qt", "log", log_type, self._log, access_caller=True)
        self.instance = linker.instantiate(self.store, module(name))
        exports = self.instance.exports(self.store)
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)
        self.memory = memory
        self._exports = exports

    def _log(self, caller: wasmtime.Caller, ptr: int, length: int) -> None:
        memory = caller["memory"]
        assert isinstance(memory, wasmtime.Memory)
        self.logs.append(memory.read(caller, ptr, ptr + length).decode())

    def call(self, export: str, *args: int | float) -> Any:
        func = self._exports[export]
        assert isinstance(func, wasmtime.Func)
        return func(self.store, *args)

    def alloc(self, nbytes: int) -> int:
        ptr = int(self.call("qt_alloc", nbytes))
        assert ptr > 0 and ptr % 8 == 0
        return ptr

    def put(self, values: F64) -> int:
        data = np.ascontiguousarray(values, dtype="<f8").tobytes()
        ptr = self.alloc(max(len(data), 8))
        self.memory.write(self.store, data, ptr)
        return ptr

    def get(self, ptr: int, n: int) -> F64:
        return np.frombuffer(self.memory.read(self.store, ptr, ptr + 8 * n), dtype="<f8").copy()


@dataclass
class Strategy:
    """A reference strategy module driven through ABI v1, reusing its buffers like the host does."""

    name: str

    def __post_init__(self) -> None:
        self.wasm = Instance(self.name)
        self._capacity = 0
        self._bars = self._out = 0

    def init(self, params: list[float]) -> int:
        ptr = self.wasm.put(np.asarray(params, dtype=np.float64)) if params else 0
        return int(self.wasm.call("qt_init", ptr, len(params)))

    def on_bars(self, bars: F64) -> F64:
        n = bars.shape[0]
        if n > self._capacity:
            self._capacity = max(n, 2 * self._capacity)
            self._bars = self.wasm.alloc(48 * self._capacity)
            self._out = self.wasm.alloc(8 * self._capacity)
        if n:
            self.wasm.memory.write(self.wasm.store, np.ascontiguousarray(bars, dtype="<f8").tobytes(), self._bars)
        status = int(self.wasm.call("qt_on_bars", self._bars, n, self._out))
        assert status == 0, f"{self.name}: qt_on_bars returned {status}"
        return self.wasm.get(self._out, n)
