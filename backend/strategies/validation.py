"""Checks of a deployment request: strategies and their parameters, market, account, sizing, stops.

Every failure is an ApiError 400 with a stable code naming the reason and the field.
"""

from __future__ import annotations

import math
from typing import Any

from backend.engine.live import SizingError, parse_sizing
from backend.engine.market.intervals import INTERVALS
from backend.engine.sandbox import Manifest, SandboxError, parse_manifest
from backend.marketdata import instruments
from backend.ops.errors import ApiError
from backend.strategies.models import BuiltinStrategy, StrategyModule
from backend.trading.models import PaperAccount

MAX_MEMBERS = 8


def bad(code: str, message: str, field: str | None = None) -> ApiError:
    return ApiError(code=code, message=message, status_code=400, detail={"field": field} if field else None)


def _manifest_of(spec: dict[str, Any], where: str) -> tuple[str, Any, Manifest]:
    if spec.get("listing_version") is not None:  # a marketplace version: entitlement checked there
        from backend.marketplace.entitlements import deployable_version

        if spec.get("strategy") is not None or spec.get("module") is not None:
            raise bad("invalid_strategy", f"{where}: give one of strategy, module or listing_version", where)
        version = deployable_version(spec["listing_version"], where)
        return "listing", version, parse_manifest(version.manifest)
    strategy, module = spec.get("strategy"), spec.get("module")
    if (strategy is None) == (module is None):
        raise bad(
            "invalid_strategy", f"{where}: give exactly one of strategy (a built-in name) or module (an id)", where
        )
    if strategy is not None:
        row = BuiltinStrategy.objects.filter(name=strategy).first() if isinstance(strategy, str) else None
        if row is None:
            raise bad("unknown_strategy", f"{where}: no built-in strategy {strategy!r}", where)
        return "builtin", row.name, parse_manifest(row.manifest)
    if not isinstance(module, int) or isinstance(module, bool):
        raise bad("unknown_module", f"{where}: module must be a module id", where)
    found = StrategyModule.objects.filter(pk=module).only("pk", "manifest").first()  # tenant-scoped
    if found is None:
        raise bad("unknown_module", f"{where}: no module {module} in your tenant", where)
    return "module", found.pk, parse_manifest(found.manifest)


def members(data: dict[str, Any], interval: str) -> list[dict[str, Any]]:
    """The normalized member list of a deployment (one member, or the ensemble)."""
    ensemble = data.get("ensemble")
    if ensemble:
        if any(data.get(k) is not None for k in ("strategy", "module", "params")):
            raise bad("invalid_strategy", "give either strategy/module/params or ensemble, not both", "ensemble")
        if not isinstance(ensemble, list) or len(ensemble) > MAX_MEMBERS:
            raise bad("invalid_ensemble", f"ensemble must be a list of at most {MAX_MEMBERS} members", "ensemble")
        specs = ensemble
    else:
        specs = [
            {"strategy": data.get("strategy"), "module": data.get("module"), "params": data.get("params"), "weight": 1,
             "listing_version": data.get("listing_version")}
        ]  # fmt: skip
    out = []
    for i, spec in enumerate(specs):
        where = f"ensemble[{i}]" if ensemble else "strategy"
        if not isinstance(spec, dict):
            raise bad("invalid_ensemble", f"{where} must be an object", where)
        spec = {k: v for k, v in spec.items() if v is not None}
        kind, ref, manifest = _manifest_of(spec, where)
        weight = spec.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1000:
            raise bad("invalid_weight", f"{where}: weight must be a number in (0, 1000]", where)
        params = spec.get("params") or {}
        if not isinstance(params, dict):
            raise bad("invalid_params", f"{where}: params must be an object", where)
        try:
            resolved = manifest.resolve(params)
        except SandboxError as exc:
            error = bad(exc.code, f"{where}: {exc.message}", where)
            if exc.details.get("param"):  # which parameter, for a form to put the message beside it
                error.extra = {"field": where, "param": exc.details["param"]}
            raise error from None
        if interval not in manifest.intervals:
            raise bad("unsupported_interval", f"{where}: {manifest.name} does not support {interval}", "interval")
        extra = {}
        if kind == "listing":  # ref: the version id; listing: what a lapse or yank pauses by
            ref, extra = ref.pk, {"listing": ref.listing_id}
        out.append(
            {**extra, "kind": kind, "ref": ref, "name": manifest.name, "version": manifest.version, "params": resolved,
             "weight": float(weight)}
        )  # fmt: skip
    return out


def check_entitlements(members: list[dict[str, Any]]) -> None:
    """Starting a deployment again re-checks every marketplace member (a lapsed subscription refuses)."""
    for i, member in enumerate(members):
        if member.get("kind") == "listing":
            from backend.marketplace.entitlements import deployable_version

            deployable_version(member["ref"], f"members[{i}]")


def market(data: dict[str, Any]) -> tuple[str, str, str, PaperAccount]:
    interval = data.get("interval")
    if interval not in INTERVALS:
        raise bad("invalid_interval", f"interval must be one of {', '.join(INTERVALS)}", "interval")
    account_id = data.get("account")
    account = (
        PaperAccount.objects.filter(pk=account_id, is_active=True).first()
        if isinstance(account_id, int) and not isinstance(account_id, bool)
        else None
    )
    if account is None:
        raise bad("unknown_account", "account must be the id of an open paper account of your tenant", "account")
    exchange = data.get("exchange", account.exchange)
    symbol = data.get("symbol")
    if exchange != account.exchange:
        raise bad("exchange_mismatch", f"the account trades on {account.exchange}", "exchange")
    instrument = instruments.get(exchange, symbol) if isinstance(symbol, str) else None
    if instrument is None:
        raise bad("unknown_symbol", f"unknown symbol {symbol!r} on {exchange}", "symbol")
    if instrument.quote != account.currency:
        raise bad("currency_mismatch", f"{symbol} is quoted in {instrument.quote}, the account in {account.currency}")
    return exchange, symbol, interval, account


def sizing(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    mode = data.get("sizing", "fixed_fraction")
    params = data.get("sizing_params") or {}
    if not isinstance(mode, str) or not isinstance(params, dict):
        raise bad("invalid_sizing", "sizing must be a string and sizing_params an object", "sizing")
    try:
        parse_sizing(mode, params)
    except SizingError as exc:
        raise bad("invalid_sizing", str(exc), exc.field) from None
    return mode, params


def fraction(data: dict[str, Any], name: str, hi: float = 10.0) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0 < value <= hi
    ):
        raise bad("invalid_stop", f"{name} must be a fraction in (0, {hi}] (0.05 = 5%)", name)
    return float(value)
