"""manage.py strategy validate / backtest on WAT-built modules (no toolchain needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from backend.backtests import runs
from backend.engine.backtest.ohlcv_csv import read_ohlcv_csv
from tests.backtests.data import random_bars, write_ohlcv_csv
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST, module

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    wasm = tmp_path / "sma.wasm"
    wasm.write_bytes(SMA_CROSS)
    manifest = tmp_path / "sma.json"
    manifest.write_text(json.dumps(SMA_MANIFEST))
    return wasm, manifest


def run(*args: str) -> str:
    out = StringIO()
    call_command("strategy", *args, stdout=out)
    return out.getvalue()


def test_validate_accepts_a_good_module(files: tuple[Path, Path]) -> None:
    wasm, manifest = files
    assert "accepted" in run("validate", str(wasm), "--manifest", str(manifest))
    report = json.loads(run("validate", str(wasm), "--manifest", str(manifest), "--json", "--tier", "pro"))
    assert report["accepted"] is True
    assert report["code"] == "ok"
    assert report["fuel_per_bar"] > 0
    assert report["details"]["limits"]["memory_bytes"] == 134217728  # the pro tier's


def test_validate_rejects_naming_the_reason(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, manifest = files
    bad = tmp_path / "wasi.wasm"
    bad.write_bytes(
        module(imports='(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))')
    )
    with pytest.raises(CommandError, match=r"forbidden_import.*wasi_snapshot_preview1\.fd_write") as caught:
        run("validate", str(bad), "--manifest", str(manifest))
    assert caught.value.returncode == 1


def test_validate_json_on_rejection(files: tuple[Path, Path], tmp_path: Path) -> None:
    wasm, _ = files
    manifest = tmp_path / "bad.json"
    manifest.write_text(json.dumps({**SMA_MANIFEST, "intervals": ["7m"]}))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("strategy", "validate", str(wasm), "--manifest", str(manifest), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["accepted"], report["code"]) == (False, "manifest_invalid")
    assert "7m" in report["message"]


def test_the_process_exit_status(files: tuple[Path, Path], tmp_path: Path) -> None:
    wasm, manifest = files
    ok = subprocess.run(
        [sys.executable, "manage.py", "strategy", "validate", str(wasm), "--manifest", str(manifest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "loop.wasm"
    bad.write_bytes(module(init='(func (export "qt_init") (param i32 i32) (result i32) (loop $l (br $l)) i32.const 0)'))
    rejected = subprocess.run(
        [sys.executable, "manage.py", "strategy", "validate", str(bad), "--manifest", str(manifest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rejected.returncode == 1
    assert "fuel_exhausted" in rejected.stderr
    assert "Traceback" not in rejected.stderr


def test_backtest_matches_the_python_reference(files: tuple[Path, Path], tmp_path: Path) -> None:
    wasm, manifest = files
    csv = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(800, seed=4))
    args = ["backtest", str(wasm), "--manifest", str(manifest), "--csv", str(csv), "--json"]
    out = json.loads(run(*args, "--param", "fast=5", "--param", "slow=20"))
    assert out["strategy"] == "wat_sma_cross@1.0.0"
    assert out["params"] == {"fast": 5.0, "slow": 20.0, "allow_short": 0.0}
    params = {"fast": 5.0, "slow": 20.0, "allow_short": 0.0}
    config = runs.backtest_config(params=params, cash=Decimal(10_000), commission=Decimal("0.001"))
    expected = runs.execute("sma_cross", params, read_ohlcv_csv(csv), config)
    assert out["metrics"] == json.loads(json.dumps(runs.summary(expected)))
    assert len(out["trades"]) == len(expected.trades) > 0
    walk = json.loads(run(*args, "--walk-forward", "300:200", "--monte-carlo", "20"))
    assert len(walk["walk_forward"]["windows"]) == 2
    assert "monte_carlo" in walk


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--param", "fast=0"], "fast must be within"),
        (["--param", "fast=40"], "init_failed"),
        (["--tier", "platinum"], "unknown tier"),
    ],
)
def test_backtest_input_errors(files: tuple[Path, Path], tmp_path: Path, extra: list[str], message: str) -> None:
    wasm, manifest = files
    csv = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(100))
    with pytest.raises(CommandError, match=message) as caught:
        run("backtest", str(wasm), "--manifest", str(manifest), "--csv", str(csv), *extra)
    assert caught.value.returncode == 2
