from __future__ import annotations

import threading
from dataclasses import fields
from typing import Any

import pytest
import yaml

from backend.conf.loader import REPO_ROOT
from backend.conf.schema import Config, SandboxTierLimits
from backend.engine.sandbox import Sandbox, SandboxLimits, parse_manifest
from backend.engine.sandbox.errors import ManifestInvalid
from tests.engine.sandbox.wat import SMA_MANIFEST


def with_(**changes: Any) -> dict[str, Any]:
    return {**SMA_MANIFEST, **changes}


def param(**changes: Any) -> dict[str, Any]:
    return {"name": "p", "type": "int", "default": 1, "min": 0, "max": 2, **changes}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "(root)"),
        ({k: v for k, v in SMA_MANIFEST.items() if k != "intervals"}, "(root)"),
        (with_(extra=1), "(root)"),
        (with_(name="Bad Name"), "name"),
        (with_(version="1.0"), "version"),
        (with_(warmup_bars=-1), "warmup_bars"),
        (with_(warmup_bars=True), "warmup_bars"),
        (with_(intervals=[]), "intervals"),
        (with_(intervals=["1m", "7m"]), "intervals"),
        (with_(params=[param(type="str")]), "params[0].type"),
        (with_(params=[param(default=3)]), "params[0]"),
        (with_(params=[param(default=0.5)]), "params[0]"),
        (with_(params=[param(min=float("nan"))]), "params[0].min"),
        (with_(params=[param(), param()]), "params"),
        (with_(params=[{"name": "p"}]), "params[0]"),
    ],
)
def test_bad_manifests_name_the_field(raw: object, field: str) -> None:
    with pytest.raises(ManifestInvalid) as caught:
        parse_manifest(raw)
    assert caught.value.details["field"] == field


def test_manifest_round_trip_and_param_order() -> None:
    manifest = parse_manifest(SMA_MANIFEST)
    assert [p["name"] for p in manifest.as_dict()["params"]] == ["fast", "slow", "allow_short"]
    assert manifest.values(manifest.resolve({"slow": "40"})) == [10.0, 40.0, 0.0]


def test_config_limits_are_the_engine_limits() -> None:
    assert set(SandboxTierLimits.model_fields) == {f.name for f in fields(SandboxLimits)}
    config = Config.model_validate(yaml.safe_load((REPO_ROOT / "config.yaml.example").read_text()))
    for tier in config.tiers:
        SandboxLimits.from_mapping(config.sandbox.tiers[tier].model_dump())


def test_a_tier_without_sandbox_limits_is_a_config_error() -> None:
    raw = yaml.safe_load((REPO_ROOT / "config.yaml.example").read_text())
    del raw["sandbox"]["tiers"]["pro"]
    with pytest.raises(ValueError, match="missing limits for tier pro"):
        Config.model_validate(raw)


def test_one_epoch_ticker_for_every_engine() -> None:
    Sandbox(SandboxLimits(stack_bytes=256 << 10))
    Sandbox(SandboxLimits(stack_bytes=384 << 10))
    assert [t.name for t in threading.enumerate()].count("wasm-epoch-ticker") == 1


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="memory_bytes"):
        SandboxLimits(memory_bytes=0)
    with pytest.raises(ValueError, match="unknown sandbox limits: bogus"):
        SandboxLimits.from_mapping({"bogus": 1})
