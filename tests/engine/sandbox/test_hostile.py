"""The hostile corpus: each module is refused at upload or stopped at run time with its code,
and a well-behaved neighbour instance keeps producing exactly its expected outputs."""

from __future__ import annotations

import numpy as np
import pytest

from backend.engine.sandbox import Sandbox, SandboxError, parse_manifest, validate_module
from backend.engine.sandbox.data import random_walk_bars
from backend.engine.sandbox.errors import InstanceFailed
from tests.engine.sandbox.conftest import TEST_LIMITS, Neighbour
from tests.engine.sandbox.wat import PLAIN_MANIFEST, module, output_module

LOOP = "(loop $l (br $l))"


def on_bars(body: str) -> str:
    return f'(func $f (export "qt_on_bars") (param $bars i32) (param $n i32) (param $out i32) (result i32) {body})'


RUNTIME = {
    "loop in qt_on_bars": (module(on_bars=on_bars(f"{LOOP} i32.const 0")), "fuel_exhausted"),
    "loop in qt_init": (
        module(init=f'(func (export "qt_init") (param i32 i32) (result i32) {LOOP} i32.const 0)'),
        "fuel_exhausted",
    ),
    "loop in start function": (module(extra=f"(func $s {LOOP}) (start $s)"), "fuel_exhausted"),
    "memory.grow bomb": (
        module(
            on_bars=on_bars("(loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1)))) unreachable")
        ),
        "memory_limit",
    ),
    "initial memory over the cap": (module(memory='(memory (export "memory") 1000)'), "memory_limit"),
    "deep recursion": (
        module(on_bars=on_bars("(call $f (local.get 0) (local.get 1) (local.get 2))")),
        "stack_overflow",
    ),
    "huge table": (module(extra="(table 1000000 funcref)"), "table_limit"),
    "explicit trap": (module(on_bars=on_bars("unreachable")), "trap"),
    "out-of-bounds write": (
        module(on_bars=on_bars("(f64.store (i32.const -8) (f64.const 0)) i32.const 0")),
        "trap",
    ),
    "division by zero": (module(on_bars=on_bars("(i32.div_u (i32.const 1) (i32.const 0))")), "trap"),
    "+inf output": (output_module("f64.const inf"), "bad_output"),
    "-inf output": (output_module("f64.const -inf"), "bad_output"),
    "output above 1": (output_module("f64.const 1.0000001"), "bad_output"),
    "output below -1": (output_module("f64.const -3"), "bad_output"),
    "non-zero status from qt_on_bars": (module(on_bars=on_bars("i32.const 7")), "bad_output"),
    "qt_alloc outside memory": (
        module(alloc='(func (export "qt_alloc") (param i32) (result i32) i32.const 0x7ffffff0)'),
        "bad_pointer",
    ),
    "qt_alloc misaligned": (
        module(alloc='(func (export "qt_alloc") (param i32) (result i32) i32.const 65537)'),
        "bad_pointer",
    ),
    "qt_alloc returns 0": (
        module(alloc='(func (export "qt_alloc") (param i32) (result i32) i32.const 0)'),
        "bad_pointer",
    ),
    "qt_alloc returns one block twice": (
        module(alloc='(func (export "qt_alloc") (param i32) (result i32) i32.const 65536)'),
        "bad_pointer",
    ),
    "qt_init fails": (module(init='(func (export "qt_init") (param i32 i32) (result i32) i32.const 5)'), "init_failed"),
    "wrong abi version": (module(abi='(func (export "qt_abi_version") (result i32) i32.const 2)'), "abi_mismatch"),
}

UPLOAD = {
    "WASI import": (
        module(imports='(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))'),
        "forbidden_import",
        "wasi_snapshot_preview1.fd_write",
    ),
    "unknown import": (module(imports='(import "env" "abort" (func))'), "forbidden_import", "env.abort"),
    "clock-like import": (
        module(imports='(import "env" "now" (func (result f64)))'),
        "forbidden_import",
        "env.now",
    ),
    "qt.log with another signature": (
        module(imports='(import "qt" "log" (func (param i32)))'),
        "forbidden_import",
        "qt.log",
    ),
    "imported memory": (
        module(imports='(import "env" "memory" (memory 1))', memory=""),
        "forbidden_import",
        "env.memory",
    ),
    "missing qt_on_bars": (module(on_bars=""), "abi_mismatch", "qt_on_bars"),
    "qt_alloc with a wrong signature": (
        module(alloc='(func (export "qt_alloc") (param i64) (result i32) i32.const 8)'),
        "abi_mismatch",
        "qt_alloc",
    ),
    "not wasm": (b"\x00asm\x01\x00\x00\x00garbage", "invalid_module", ""),
    "oversized module": (
        module(extra=f'(data (i32.const 0) "{"x" * (TEST_LIMITS.module_bytes + 1)}")'),
        "module_too_large",
        "",
    ),
}

# Behaviour only validation can see: the calls themselves succeed.
BEHAVIOUR = {
    "differs batch vs stream": (
        output_module("select (f64.const 1) (f64.const 0) (i32.eq (local.get $n) (i32.const 1))"),
        "batch_stream_mismatch",
    ),
    "looks ahead": (
        # exposure of bar i: 1 when the last close of the call is above bar i's close
        output_module(
            "select (f64.const 1) (f64.const 0) (f64.gt"
            " (f64.load offset=32 (i32.add (local.get $bars) (i32.mul (i32.sub (local.get $n) (i32.const 1))"
            " (i32.const 48))))"
            " (f64.load offset=32 (i32.add (local.get $bars) (i32.mul (local.get $i) (i32.const 48)))))"
        ),
        "look_ahead",
    ),
}


@pytest.mark.parametrize("name", RUNTIME)
def test_stopped_at_run_time_and_refused_at_upload(name: str, sandbox: Sandbox, neighbour: Neighbour) -> None:
    wasm, code = RUNTIME[name]
    manifest = parse_manifest(PLAIN_MANIFEST)
    neighbour.step()
    with pytest.raises(SandboxError) as caught:
        strategy = sandbox.load(wasm, manifest)
        neighbour.step()
        strategy.on_bars(random_walk_bars(50))
    assert caught.value.code == code, caught.value.message
    neighbour.step()
    report = validate_module(wasm, PLAIN_MANIFEST, sandbox, n_bars=200)
    assert not report.accepted
    assert report.code == code
    neighbour.step()


@pytest.mark.parametrize("name", UPLOAD)
def test_refused_at_upload_naming_the_problem(name: str, sandbox: Sandbox, neighbour: Neighbour) -> None:
    wasm, code, named = UPLOAD[name]
    report = validate_module(wasm, PLAIN_MANIFEST, sandbox, n_bars=200)
    assert (report.accepted, report.code) == (False, code), report.message
    assert named in report.message
    with pytest.raises(SandboxError) as caught:
        sandbox.compile(wasm)
    assert caught.value.code == code
    neighbour.step()


@pytest.mark.parametrize("name", BEHAVIOUR)
def test_refused_for_behaviour(name: str, sandbox: Sandbox, neighbour: Neighbour) -> None:
    wasm, code = BEHAVIOUR[name]
    report = validate_module(wasm, PLAIN_MANIFEST, sandbox, n_bars=300)
    assert (report.accepted, report.code) == (False, code), report.message
    assert isinstance(report.details["bar"], int)
    neighbour.step()


def test_deadline_stops_a_loop_that_fuel_would_not(sandbox: Sandbox, neighbour: Neighbour) -> None:
    generous = Sandbox(TEST_LIMITS.with_(fuel_base=10**15, deadline_ms=20))
    strategy = generous.load(RUNTIME["loop in qt_on_bars"][0], parse_manifest(PLAIN_MANIFEST))
    with pytest.raises(SandboxError) as caught:
        strategy.on_bars(random_walk_bars(5))
    assert caught.value.code == "deadline_exceeded"
    neighbour.step()


def test_a_failed_instance_refuses_further_calls(sandbox: Sandbox) -> None:
    strategy = sandbox.load(RUNTIME["explicit trap"][0], parse_manifest(PLAIN_MANIFEST))
    bars = random_walk_bars(3)
    with pytest.raises(SandboxError, match="unreachable"):
        strategy.on_bars(bars)
    with pytest.raises(InstanceFailed) as caught:
        strategy.on_bars(bars)
    assert caught.value.details == {"cause": "trap"}


def test_nan_means_keep_and_is_accepted(sandbox: Sandbox) -> None:
    wasm = output_module("f64.const nan")
    assert np.isnan(sandbox.load(wasm, parse_manifest(PLAIN_MANIFEST)).on_bars(random_walk_bars(10))).all()
    assert validate_module(wasm, PLAIN_MANIFEST, sandbox, n_bars=200).accepted
