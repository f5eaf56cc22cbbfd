"""The fast call path into a module, and the classification of what comes back.

wasmtime-py's Func.__call__ asks the function for its type, converts every argument to a
tagged value and back, and costs 14-34 us a call. The host instead calls
wasmtime_func_call_unchecked (the C API's raw path) with one preallocated array of raw
values that carries the arguments in and the result out: 2-3 us. It is "unchecked"
because the C API trusts the array to match the function's signature; the host checks
every export's exact signature (abi.check_exports) before it builds a RawFunc, which is
what makes that trust safe. These are private names of wasmtime-py (`_bindings`,
`_from_ptr`, `_context`, `_func`): the package is pinned (requirements: wasmtime==50.0.1)
and tests/engine/sandbox exercise this path, so an upgrade that moves them fails loudly.
"""

from __future__ import annotations

import ctypes
from typing import Any

import wasmtime
from wasmtime import _bindings as ffi

from backend.engine.sandbox.errors import (
    DeadlineExceeded,
    FuelExhausted,
    MemoryLimit,
    SandboxError,
    StackOverflow,
    TableLimit,
    TrapError,
)

_call_unchecked = ffi._wasmtime_func_call_unchecked
_set_fuel = ffi._wasmtime_context_set_fuel
_get_fuel = ffi._wasmtime_context_get_fuel
_set_epoch_deadline = ffi._wasmtime_context_set_epoch_deadline
TrapPtr = ctypes.POINTER(ffi.wasm_trap_t)


class CallFailed(Exception):
    """Raised by RawFunc; the owner turns it into a classified SandboxError (it knows the memory state)."""

    def __init__(self, trap: wasmtime.Trap | None, error: wasmtime.WasmtimeError | None) -> None:
        super().__init__(str(trap or error))
        self.trap = trap
        self.error = error


class StoreHandle:
    """A store's raw context, with fuel and deadline set without wasmtime-py's wrappers."""

    def __init__(self, store: wasmtime.Store) -> None:
        self.store = store
        self.ctx = store._context()
        self._fuel = ctypes.c_uint64(0)
        self._fuel_ref = ctypes.byref(self._fuel)

    def set_fuel(self, fuel: int) -> None:
        err = _set_fuel(self.ctx, fuel)
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)

    def fuel(self) -> int:
        err = _get_fuel(self.ctx, self._fuel_ref)
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)
        return int(self._fuel.value)

    def set_deadline(self, ticks: int) -> None:
        _set_epoch_deadline(self.ctx, ticks)


class RawFunc:
    """An exported function whose signature has been checked: (i32 ...) -> i32."""

    def __init__(self, handle: StoreHandle, func: wasmtime.Func, n_params: int) -> None:
        self._ctx = handle.ctx
        self._func = func  # keeps the wasmtime_func_t alive
        self._func_ref = ctypes.byref(func._func)
        self.args: Any = (ffi.wasmtime_val_raw_t * max(n_params, 1))()
        self._trap: Any = TrapPtr()
        self._trap_ref = ctypes.byref(self._trap)
        self._n = max(n_params, 1)

    def __call__(self, *params: int) -> int:
        args = self.args
        for i, p in enumerate(params):
            args[i].i32 = p
        return self.call()

    def call(self) -> int:
        """Calls with whatever is in self.args (set by the caller); returns the i32 result."""
        err = _call_unchecked(self._ctx, self._func_ref, self.args, self._n, self._trap_ref)
        if err or self._trap:
            self._raise(err)
        return int(self.args[0].i32)

    def _raise(self, err: Any) -> None:
        trap: wasmtime.Trap | None = None
        error: wasmtime.WasmtimeError | None = None
        if self._trap:
            trap = wasmtime.Trap._from_ptr(self._trap)  # takes ownership of the trap
            self._trap = TrapPtr()
            self._trap_ref = ctypes.byref(self._trap)
        if err:
            error = wasmtime.WasmtimeError._from_ptr(err)
        raise CallFailed(trap, error)


def classify_trap(trap: wasmtime.Trap, *, memory_full: bool, where: str) -> SandboxError:
    code = trap.trap_code
    # wasmtime's message is a backtrace followed by the cause; the cause is the useful line.
    lines = [line.strip() for line in trap.message.strip().splitlines() if line.strip()]
    first = lines[-1] if lines else (code.name.lower() if code else "trap")
    if code is wasmtime.TrapCode.OUT_OF_FUEL:
        return FuelExhausted(f"{where}: fuel exhausted (the call's instruction budget)")
    if code is wasmtime.TrapCode.INTERRUPT:
        return DeadlineExceeded(f"{where}: wall-clock deadline exceeded")
    if code is wasmtime.TrapCode.STACK_OVERFLOW:
        return StackOverflow(f"{where}: stack overflow (recursion too deep)")
    if memory_full:
        # memory.grow answers -1 at the cap; a module that then traps (abort, out-of-bounds
        # write past what it believed it had) failed because of the cap.
        return MemoryLimit(f"{where}: memory limit reached, then {first}", trap=code.name if code else None)
    return TrapError(f"{where}: {first}", trap=code.name if code else None)


def classify_error(error: BaseException, *, where: str) -> SandboxError:
    """Instantiation refused (limits) or another wasmtime error."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    lowered = text.lower()
    if "memory" in lowered and ("limit" in lowered or "exceed" in lowered or "minimum" in lowered):
        return MemoryLimit(f"{where}: {first}")
    if "table" in lowered:
        return TableLimit(f"{where}: {first}")
    return TrapError(f"{where}: {first}")
