"""One running strategy module: a Strategy (backend.engine.strategy.protocol) backed by wasm.

    strategy = SandboxStrategy(engine, module, [10.0, 30.0, 0.0], limits=limits, warmup_bars=30)
    exposures = strategy.on_bars(bars)          # bars: (n, 6) float64

Each instance has its own Store (fuel, deadline, memory and table limits apply to it
alone), so a module that traps, spins or bloats fails its own calls and nothing else.
After any failed call the instance refuses further calls (InstanceFailed): its state
is whatever the trap left, and a deployment must be restarted from warm-up bars.
"""

from __future__ import annotations

import ctypes
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import wasmtime

from backend.engine.sandbox.abi import ABI_VERSION, BAR_BYTES, OUT_BYTES, check_exports, check_imports
from backend.engine.sandbox.calls import CallFailed, RawFunc, StoreHandle, classify_error, classify_trap
from backend.engine.sandbox.errors import (
    AbiMismatch,
    BadOutput,
    BadPointer,
    InitFailed,
    InstanceFailed,
    SandboxError,
)
from backend.engine.sandbox.limits import SandboxLimits
from backend.engine.sandbox.runtime import deadline_ticks
from backend.engine.strategy.protocol import BAR_COLUMNS, Bars, Exposures

LOG_KEPT = 100
LogSink = Callable[[str], None]
_LOG_TYPE = wasmtime.FuncType([wasmtime.ValType.i32(), wasmtime.ValType.i32()], [])
WASM_PAGE = 65536


class SandboxStrategy:
    def __init__(
        self,
        engine: wasmtime.Engine,
        module: wasmtime.Module,
        params: Sequence[float],
        *,
        limits: SandboxLimits,
        warmup_bars: int = 0,
        log_sink: LogSink | None = None,
    ) -> None:
        # The raw call path trusts signatures, so they are checked here whoever built the module.
        check_imports(module)
        check_exports(module)
        self.limits = limits
        self._warmup = warmup_bars
        self.logs: deque[str] = deque(maxlen=LOG_KEPT)
        self.logs_dropped = 0
        self._sink = log_sink or self.logs.append
        self._log_lines = 0
        self.failed: SandboxError | None = None
        # Fuel accounting costs a host call per call, so only validation turns it on.
        self.track_fuel = False
        self.fuel_used = 0
        self.bars_seen = 0

        store = wasmtime.Store(engine)
        store.set_limits(
            memory_size=limits.memory_bytes,
            table_elements=limits.table_elements,
            instances=limits.instances,
            tables=limits.instances,
            memories=limits.instances,
        )
        self._store = store
        self._h = StoreHandle(store)
        self._h.set_fuel(limits.init_fuel)
        self._h.set_deadline(deadline_ticks(limits.call_deadline_ms(limits.max_batch_bars)))
        imports = [wasmtime.Func(store, _LOG_TYPE, self._log, access_caller=True) for _ in module.imports]
        try:
            instance = wasmtime.Instance(store, module, imports)
        except wasmtime.Trap as trap:
            raise self._fail(classify_trap(trap, memory_full=False, where="instantiate")) from None
        except wasmtime.WasmtimeError as exc:
            raise self._fail(classify_error(exc, where="instantiate")) from None
        exports = instance.exports(store)
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)
        self._memory = memory
        self._base = ctypes.addressof(memory.data_ptr(store).contents)

        def raw(name: str, n: int) -> RawFunc:
            func = exports[name]
            assert isinstance(func, wasmtime.Func)
            return RawFunc(self._h, func, n)

        self._abi_version = raw("qt_abi_version", 0)
        self._alloc = raw("qt_alloc", 1)
        self._init = raw("qt_init", 2)
        self._on_bars = raw("qt_on_bars", 3)
        self._cap = 0
        self._bars_ptr = self._out_ptr = 0
        self._bars_view: npt.NDArray[np.float64] = np.empty((0, BAR_COLUMNS))
        self._out_view: npt.NDArray[np.float64] = np.empty(0)
        self._bars_c: ctypes.Array[ctypes.c_double] = (ctypes.c_double * BAR_COLUMNS)()
        self._out_c: ctypes.Array[ctypes.c_double] = (ctypes.c_double * 1)()
        self._one_bar_ticks = deadline_ticks(limits.call_deadline_ms(1))

        version = self._guarded("qt_abi_version", self._abi_version.call)
        if version != ABI_VERSION:
            raise self._fail(AbiMismatch(f"qt_abi_version() returned {version}, this host speaks {ABI_VERSION}"))
        self._init_params(params)

    # -- Strategy ---------------------------------------------------------------------------

    @property
    def warmup_bars(self) -> int:
        return self._warmup

    def on_bars(self, bars: Bars) -> Exposures:
        arr = np.asarray(bars, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != BAR_COLUMNS:
            raise ValueError(f"bars must have shape (n, {BAR_COLUMNS}), got {arr.shape}")
        n = arr.shape[0]
        out = np.empty(n, dtype=np.float64)
        step = self.limits.max_batch_bars
        if n <= step:
            self._call(arr, out)
            return out
        for start in range(0, n, step):
            end = min(start + step, n)
            self._call(arr[start:end], out[start:end])
        return out

    # -- internals --------------------------------------------------------------------------

    def _call(self, chunk: Bars, out: Exposures) -> None:
        if self.failed is not None:
            code = self.failed.code
            raise InstanceFailed(f"the instance failed earlier ({code}); rebuild it", cause=code)
        m = chunk.shape[0]
        if m > self._cap:
            self._grow_buffers(m)
        # One bar (a live deployment's every call) goes through ctypes scalars: numpy's
        # per-operation overhead would be most of the call.
        single = m == 1
        if single:
            self._bars_c[:] = chunk[0].tolist()
        else:
            self._bars_view[:m] = chunk
        h, limits = self._h, self.limits
        fuel = limits.fuel_base + limits.fuel_per_bar * m
        h.set_fuel(fuel)
        h.set_deadline(self._one_bar_ticks if single else deadline_ticks(limits.call_deadline_ms(m)))
        self._log_lines = 0
        args = self._on_bars.args
        args[0].i32 = self._bars_ptr
        args[1].i32 = m
        args[2].i32 = self._out_ptr
        try:
            status = self._on_bars.call()
        except CallFailed as exc:
            raise self._fail(self._classify(exc, "qt_on_bars")) from None
        if self.track_fuel:
            self.fuel_used += fuel - h.fuel()
        self.bars_seen += m
        if status != 0:
            raise self._fail(BadOutput(f"qt_on_bars returned error code {status}", status=status))
        if single:
            v = self._out_c[0]
            if not -1.0 <= v <= 1.0 and v == v:  # v != v: NaN, which means "keep"
                raise self._fail(BadOutput(f"exposure {v} for bar 0 of the call is outside [-1, 1]", index=0))
            out[0] = v
            return
        out[:] = self._out_view[:m]
        mag = np.abs(out)
        if not (mag <= 1.0).all():
            bad = np.flatnonzero(~((mag <= 1.0) | np.isnan(mag)))
            if bad.size:
                i = int(bad[0])
                raise self._fail(
                    BadOutput(f"exposure {float(out[i])} for bar {i} of the call is outside [-1, 1]", index=i)
                )

    def _init_params(self, params: Sequence[float]) -> None:
        n = len(params)
        ptr = 0
        if n:
            ptr = self._allocate(n * 8, "params")
            self._view(ptr, n)[:] = np.asarray(params, dtype=np.float64)
        status = self._guarded("qt_init", lambda: self._init(ptr, n))
        if status != 0:
            raise self._fail(InitFailed(f"qt_init returned error code {status}", status=status))

    def _grow_buffers(self, m: int) -> None:
        # Old buffers are abandoned, not freed: the ABI lets qt_alloc be a bump allocator.
        cap = max(m, 16)
        bars_ptr = self._allocate(cap * BAR_BYTES, "bars")
        out_ptr = self._allocate(cap * OUT_BYTES, "out")
        if bars_ptr < out_ptr + cap * OUT_BYTES and out_ptr < bars_ptr + cap * BAR_BYTES:
            raise self._fail(BadPointer(f"qt_alloc returned overlapping buffers ({bars_ptr:#x}, {out_ptr:#x})"))
        self._cap, self._bars_ptr, self._out_ptr = cap, bars_ptr, out_ptr
        self._bars_view = self._view(bars_ptr, cap * BAR_COLUMNS).reshape(cap, BAR_COLUMNS)
        self._out_view = self._view(out_ptr, cap)
        self._bars_c = (ctypes.c_double * BAR_COLUMNS).from_address(self._base + bars_ptr)
        self._out_c = (ctypes.c_double * 1).from_address(self._base + out_ptr)

    def _allocate(self, size: int, what: str) -> int:
        self._h.set_fuel(self.limits.init_fuel)
        self._h.set_deadline(deadline_ticks(self.limits.deadline_ms))
        ptr = self._guarded("qt_alloc", lambda: self._alloc(size)) & 0xFFFFFFFF
        length = self._memory.data_len(self._store)
        if ptr == 0 or ptr % 8 or ptr + size > length:
            raise self._fail(
                BadPointer(
                    f"qt_alloc({size}) for the {what} buffer returned {ptr:#x}: not an 8-byte aligned block "
                    f"inside memory ({length} bytes)",
                    pointer=ptr,
                    size=size,
                )
            )
        return ptr

    def _view(self, ptr: int, count: int) -> npt.NDArray[np.float64]:
        # memory_may_move is off in the engine config, so this address stays valid for the instance's life.
        buf = (ctypes.c_double * count).from_address(self._base + ptr)
        return np.frombuffer(memoryview(buf).cast("B"), dtype=np.float64)

    def _guarded(self, where: str, fn: Callable[[], int]) -> int:
        try:
            return fn()
        except CallFailed as exc:
            raise self._fail(self._classify(exc, where)) from None

    def _classify(self, exc: CallFailed, where: str) -> SandboxError:
        if exc.trap is not None:
            # memory.grow fails silently (-1); a trap with memory near the cap is blamed on the cap.
            # "Near": within 1/8 of it, since a module may grow in large steps.
            size = self._memory.data_len(self._store)
            full = size + max(WASM_PAGE, self.limits.memory_bytes // 8) > self.limits.memory_bytes
            return classify_trap(exc.trap, memory_full=full, where=where)
        return classify_error(exc.error or exc, where=where)

    def _fail(self, error: SandboxError) -> SandboxError:
        self.failed = error
        return error

    def _log(self, caller: wasmtime.Caller, ptr: int, length: int) -> None:
        # Runs inside a wasm call: must never raise (a Python exception would become a trap
        # blamed on the module) and must bound what a module can make the host do.
        try:
            if self._log_lines >= self.limits.log_max_lines_per_call:
                self.logs_dropped += 1
                return
            self._log_lines += 1
            start = ptr & 0xFFFFFFFF
            size = self._memory.data_len(caller)
            stop = min(start + min(length & 0xFFFFFFFF, self.limits.log_max_bytes), size)
            data = bytes(self._memory.read(caller, start, stop)) if start < stop else b""
            self._sink(data.decode("utf-8", errors="replace"))
        except Exception:  # noqa: BLE001 - see above: nothing may escape into the module
            self.logs_dropped += 1
