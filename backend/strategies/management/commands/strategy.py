"""manage.py strategy: author tooling for WebAssembly strategies (docs/strategy-abi.md).

    strategy validate FILE.wasm --manifest FILE.json [--tier free] [--json]
    strategy backtest FILE.wasm --manifest FILE.json [--param k=v ...] (--csv FILE | --exchange ...) [--json]
    strategy sync_builtin      (register strategies/build's reference modules as the built-in catalogue)

validate exits 0 when the module is accepted and 1 when it is rejected, naming the
reason code; backtest takes the options of `manage.py backtest` and exits 2 on bad input
or a module that fails (with its code), like it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.backtests.management.commands.backtest import Command as BacktestCommand
from backend.backtests.management.commands.backtest import fail
from backend.engine.sandbox import Manifest, Sandbox, SandboxError, SandboxStrategy, parse_manifest, validate_module
from backend.strategies.sandbox import UnknownTier, sandbox_for, validation_bars

REJECTED = 1


def _read_module(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror or exc}") from None


def _read_manifest(path: Path) -> object:
    try:
        return json.loads(path.read_text())
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: not JSON: {exc}") from None


class Command(BaseCommand):
    help = "Validate or backtest a WebAssembly strategy module (ABI v1) with its JSON manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{validate,backtest,sync_builtin}")
        actions.add_parser(
            "sync_builtin",
            help="register the built-in catalogue (strategies/build) in the database",
            description="register the built-in catalogue (strategies/build) in the database",
        )
        for name, text in (
            ("validate", "check a module as an upload would: ABI, imports, limits, determinism, batch == stream"),
            ("backtest", "backtest a module (the options of `manage.py backtest`)"),
        ):
            sub = actions.add_parser(name, help=text, description=text)
            sub.add_argument("module", type=Path, metavar="FILE.wasm")
            sub.add_argument("--manifest", type=Path, required=True, metavar="FILE.json")
            sub.add_argument("--tier", default="free", help="whose sandbox limits apply (default free)")
            if name == "validate":
                sub.add_argument("--json", action="store_true", help="the report as one JSON document")
            else:
                BacktestCommand.add_run_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sync_builtin":
            from backend.strategies.catalogue import BuiltinMissing, sync_builtin

            try:
                changed = sync_builtin()
            except BuiltinMissing as exc:
                raise fail(str(exc)) from None
            self.stdout.write(f"built-in strategies: {', '.join(changed) if changed else 'up to date'}")
            return
        wasm = _read_module(options["module"])
        manifest_raw = _read_manifest(options["manifest"])
        try:
            sandbox = sandbox_for(options["tier"])
        except UnknownTier as exc:
            raise fail(str(exc)) from None
        if options["action"] == "validate":
            self._validate(sandbox, wasm, manifest_raw, options)
        else:
            self._backtest(sandbox, wasm, manifest_raw, options)

    def _validate(self, sandbox: Sandbox, wasm: bytes, manifest: object, options: dict[str, Any]) -> None:
        report = validate_module(wasm, manifest, sandbox, n_bars=validation_bars())
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), allow_nan=False))
        else:
            d = report.details
            verdict = "accepted" if report.accepted else f"REJECTED ({report.code})"
            self.stdout.write(f"{options['module']}: {verdict}: {report.message}")
            if "manifest" in d:
                m = d["manifest"]
                self.stdout.write(
                    f"  {m['name']} {m['version']}, params: {len(m['params'])}, warmup {m['warmup_bars']}"
                )
            if report.fuel_per_bar is not None:
                self.stdout.write(f"  fuel per bar: {report.fuel_per_bar:,.0f} batch")
            if "fuel_per_bar_stream" in d:
                self.stdout.write(f"  fuel per bar: {d['fuel_per_bar_stream']:,.0f} one bar per call")
            self.stdout.write(f"  module: {d['module_bytes']:,} bytes; checked in {d['seconds']:.2f} s")
        if not report.accepted:
            raise CommandError(f"rejected: {report.code}: {report.message}", returncode=REJECTED)

    def _backtest(self, sandbox: Sandbox, wasm: bytes, manifest_raw: object, options: dict[str, Any]) -> None:
        try:
            manifest = parse_manifest(manifest_raw)
            module = sandbox.compile(wasm)
            params = manifest.resolve(_given(options["param"]))
            sandbox.instantiate(module, manifest, params)  # fail early on init errors, before loading data
        except SandboxError as exc:
            raise fail(f"{exc.code}: {exc.message}") from None

        def fresh() -> SandboxStrategy:
            return sandbox.instantiate(module, manifest, params)

        try:
            BacktestCommand(stdout=self.stdout, stderr=self.stderr).run(options, _label(manifest), fresh, params)
        except SandboxError as exc:
            raise fail(f"the module failed: {exc.code}: {exc.message}") from None


def _label(manifest: Manifest) -> str:
    return f"{manifest.name}@{manifest.version}"


def _given(raw: list[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise fail(f"--param must look like NAME=VALUE, got {item!r}")
        given[name.strip()] = value.strip()
    return given
