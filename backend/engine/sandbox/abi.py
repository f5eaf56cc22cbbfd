"""ABI v1 (docs/strategy-abi.md) as data: the exports a module must have, the one import it may have."""

from __future__ import annotations

import wasmtime

from backend.engine.sandbox.errors import AbiMismatch, ForbiddenImport

ABI_VERSION = 1
I32 = "i32"

# name -> (params, results)
REQUIRED_FUNCS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "qt_abi_version": ((), (I32,)),
    "qt_alloc": ((I32,), (I32,)),
    "qt_init": ((I32, I32), (I32,)),
    "qt_on_bars": ((I32, I32, I32), (I32,)),
}
ALLOWED_IMPORTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("qt", "log"): ((I32, I32), ()),
}
BAR_BYTES = 6 * 8
OUT_BYTES = 8


def _sig(ty: wasmtime.FuncType) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(str(p) for p in ty.params), tuple(str(r) for r in ty.results)


def _show(sig: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    return f"({', '.join(sig[0])}) -> ({', '.join(sig[1])})"


def check_imports(module: wasmtime.Module) -> None:
    """ForbiddenImport naming the first import that is not exactly qt.log(i32, i32)."""
    for imp in module.imports:
        name = f"{imp.module}.{imp.name}"
        expected = ALLOWED_IMPORTS.get((imp.module, imp.name or ""))
        if expected is None:
            raise ForbiddenImport(
                f"import {name} is not allowed: a strategy may import only qt.log(i32, i32)", import_name=name
            )
        ty = imp.type
        if not isinstance(ty, wasmtime.FuncType) or _sig(ty) != expected:
            raise ForbiddenImport(f"import {name} must be a function {_show(expected)}", import_name=name)


def check_exports(module: wasmtime.Module) -> None:
    """AbiMismatch naming the first missing or mistyped export."""
    exports = {e.name: e.type for e in module.exports}
    memory = exports.get("memory")
    if not isinstance(memory, wasmtime.MemoryType):
        raise AbiMismatch("the module must export its linear memory as `memory`", export="memory")
    if memory.is_64:
        raise AbiMismatch("`memory` must be a 32-bit memory", export="memory")
    for name, expected in REQUIRED_FUNCS.items():
        ty = exports.get(name)
        if ty is None:
            raise AbiMismatch(f"missing export {name}: {_show(expected)}", export=name)
        if not isinstance(ty, wasmtime.FuncType) or _sig(ty) != expected:
            raise AbiMismatch(f"export {name} must be a function {_show(expected)}", export=name)
