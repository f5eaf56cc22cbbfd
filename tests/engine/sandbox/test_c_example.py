"""The C header and example (strategies/sdk/c, strategies/examples/c) against the host.

Built here with strategies/examples/c/build.sh (clang --target=wasm32 + wasm-ld). A
missing toolchain fails the test, with how to install it: skipping would hide breakage.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from backend.engine.sandbox import Sandbox, parse_manifest, validate_module
from backend.engine.sandbox.data import random_walk_bars
from backend.engine.strategies.reference import SmaCross
from tests.engine.sandbox.conftest import TEST_LIMITS

ROOT = Path(__file__).resolve().parents[3]
BUILD_SH = ROOT / "strategies" / "examples" / "c" / "build.sh"
WASM = ROOT / "strategies" / "build" / "c" / "sma_cross.wasm"
MANIFEST = ROOT / "strategies" / "examples" / "c" / "sma_cross.json"


@pytest.fixture(scope="module")
def c_sma() -> bytes:
    result = subprocess.run(["sh", str(BUILD_SH)], capture_output=True, text=True, timeout=300, check=False)
    if shutil.which("clang") is None or shutil.which("wasm-ld") is None:
        pytest.fail("clang and wasm-ld are needed to build the C example: apt-get install -y clang lld")
    assert result.returncode == 0, result.stderr
    return WASM.read_bytes()


def test_c_example_passes_validation(c_sma: bytes, tmp_path: Path) -> None:
    sandbox = Sandbox(TEST_LIMITS.with_(fuel_per_bar=20_000), cache_dir=tmp_path)
    report = validate_module(c_sma, json.loads(MANIFEST.read_text()), sandbox, n_bars=1_000)
    assert report.accepted, report.as_dict()


@pytest.mark.parametrize(("fast", "slow", "short"), [(10, 30, 0), (5, 50, 1), (2, 3, 1)])
def test_c_example_decides_like_the_python_reference(c_sma: bytes, fast: int, slow: int, short: int) -> None:
    sandbox = Sandbox(TEST_LIMITS.with_(fuel_per_bar=20_000))
    manifest = parse_manifest(json.loads(MANIFEST.read_text()))
    bars = random_walk_bars(5_000, seed=fast * 100 + slow)
    strategy = sandbox.load(c_sma, manifest, {"fast": fast, "slow": slow, "allow_short": short})
    expected = SmaCross(fast, slow, bool(short)).on_bars(bars)
    np.testing.assert_array_equal(strategy.on_bars(bars[:1_234]), expected[:1_234])
    np.testing.assert_array_equal(strategy.on_bars(bars[1_234:]), expected[1_234:])
