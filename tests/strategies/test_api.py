"""Strategies API: modules (upload, list), catalogue, deployments (CRUD, lifecycle, roles, quota, isolation)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from backend.strategies.models import Deployment, Signal
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tenant, Tier
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST, module
from tests.strategies.factories import make_strategy_module
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

pytestmark = pytest.mark.usefixtures("builtins")
DEPLOYMENTS = "/api/v1/deployments"


def upload(client: APIClient, wasm: bytes, manifest: Any = SMA_MANIFEST) -> Any:
    files = {
        "module": SimpleUploadedFile("m.wasm", wasm, content_type="application/wasm"),
        "manifest": SimpleUploadedFile("m.json", json.dumps(manifest).encode(), content_type="application/json"),
    }
    return client.post("/api/v1/strategies/modules", files, format="multipart")


def deploy(client: APIClient, account: int, **changes: Any) -> Any:
    body = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20}, "symbol": "BTC-USDT", "interval": "1m",
            "account": account, **changes}  # fmt: skip
    return client.post(DEPLOYMENTS, body, format="json")


def code(response: Any) -> str:
    return str(response.json()["error"]["code"])


@pytest.fixture
def account(world: World) -> int:
    return int(make_paper_account(world.tenant).pk)


def test_catalogue_lists_the_six_wasm_reference_modules(world: World) -> None:
    rows = world.client_for_key(world.read_key).get("/api/v1/strategies/catalogue").json()
    assert [r["name"] for r in rows] == [
        "bollinger_breakout", "macd", "mean_reversion", "momentum", "rsi", "sma_cross",
    ]  # fmt: skip
    assert all(len(r["sha256"]) == 64 and r["manifest"]["params"] for r in rows)
    assert "wasm" not in rows[0]


def test_upload_validates_dedupes_and_never_returns_the_bytes(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    first = upload(client, SMA_CROSS)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["name"], body["validation"]["accepted"], body["size"]) == ("wat_sma_cross", True, len(SMA_CROSS))
    assert "wasm" not in body
    again = upload(client, SMA_CROSS)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert [m["id"] for m in client.get("/api/v1/strategies/modules").json()] == [body["id"]]
    assert client.get(f"/api/v1/strategies/modules/{body['id']}").json()["sha256"] == body["sha256"]
    other = world.client_for_key(world.other_key)
    assert other.get(f"/api/v1/strategies/modules/{body['id']}").status_code == 404
    assert other.get("/api/v1/strategies/modules").json() == []


def test_upload_rejections_name_the_reason(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    wasi = module(imports='(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))')
    rejected = upload(client, wasi)
    assert (rejected.status_code, code(rejected)) == (400, "forbidden_import")
    assert rejected.json()["error"]["detail"]["validation"]["accepted"] is False
    bad_manifest = upload(client, SMA_CROSS, {**SMA_MANIFEST, "warmup_bars": -1})
    assert (bad_manifest.status_code, code(bad_manifest)) == (400, "manifest_invalid")
    no_manifest = client.post(
        "/api/v1/strategies/modules", {"module": SimpleUploadedFile("m.wasm", SMA_CROSS)}, format="multipart"
    )
    assert code(no_manifest) == "manifest_required"
    viewer = upload(world.client_for_key(world.read_key), SMA_CROSS)
    assert viewer.status_code == 403


def test_deployment_crud_and_lifecycle(world: World, account: int) -> None:
    client = world.client_for_key(world.admin_key)
    created = deploy(client, account, stop_loss=0.05, sizing="volatility_target", sizing_params={"atr_bars": 10})
    assert created.status_code == 201, created.content
    d = created.json()
    assert (d["status"], d["error"], d["account"], d["sizing"]) == ("running", None, account, "volatility_target")
    assert d["members"] == [
        {"kind": "builtin", "ref": "sma_cross", "name": "sma_cross", "version": "1.0.0",
         "params": {"fast": 5.0, "slow": 20.0, "allow_short": 0.0}, "weight": 1.0}
    ]  # fmt: skip
    url = f"{DEPLOYMENTS}/{d['id']}"
    assert [x["id"] for x in client.get(DEPLOYMENTS).json()] == [d["id"]]
    assert client.post(f"{url}/pause").json()["status"] == "paused"
    patched = client.patch(url, {"name": "renamed", "take_profit": 0.1}, format="json")
    assert (patched.json()["name"], patched.json()["take_profit"]) == ("renamed", 0.1)
    immutable = client.patch(url, {"symbol": "ETH-USDT"}, format="json")
    assert (immutable.status_code, code(immutable)) == (400, "immutable_field")
    assert client.post(f"{url}/start").json()["status"] == "running"
    assert client.delete(url).status_code == 409
    assert client.post(f"{url}/stop").json()["status"] == "stopped"
    with tenant_context(world.tenant.pk):
        Signal.objects.create(tenant=world.tenant, deployment_id=d["id"], bar_open_ms=60_000, exposure=1,
                              target=1, reason="signal")  # fmt: skip
    [signal] = client.get(f"{url}/signals").json()
    assert (signal["bar_open_ms"], signal["target"]) == (60_000, 1.0)
    perf = client.get(f"{url}/performance").json()
    assert (perf["account"], perf["trades"], perf["position_qty"]) == (account, [], "0")
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_ensembles_and_uploaded_modules(world: World, account: int) -> None:
    client = world.client_for_key(world.admin_key)
    mine = make_strategy_module(world.tenant)
    created = deploy(
        client, account, strategy=None, params=None,
        ensemble=[{"strategy": "rsi", "weight": 2}, {"module": mine.pk, "params": {"fast": 3, "slow": 9}}],
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert [(m["kind"], m["ref"], m["weight"]) for m in created.json()["members"]] == [
        ("builtin", "rsi", 2.0), ("module", mine.pk, 1.0),
    ]  # fmt: skip
    theirs = make_strategy_module(world.other)
    stolen = deploy(client, account, strategy=None, module=theirs.pk)
    assert (stolen.status_code, code(stolen)) == (400, "unknown_module")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"params": {"fast": 1}}, "invalid_params"),
        ({"params": {"nope": 1}}, "invalid_params"),
        ({"strategy": "no_such"}, "unknown_strategy"),
        ({"strategy": None}, "invalid_strategy"),
        ({"interval": "7m"}, "invalid_interval"),
        ({"symbol": "NOPE-USDT"}, "unknown_symbol"),
        ({"exchange": "binance"}, "exchange_mismatch"),
        ({"sizing": "martingale"}, "invalid_sizing"),
        ({"sizing": "kelly_cap", "sizing_params": {"payoff": 2}}, "invalid_sizing"),
        ({"stop_loss": 0}, "invalid_stop"),
        ({"max_drawdown": 2}, "invalid_stop"),
        ({"ensemble": [{"strategy": "rsi", "weight": -1}], "strategy": None, "params": None}, "invalid_weight"),
    ],
)
def test_bad_input_is_refused_with_a_code(world: World, account: int, changes: dict[str, Any], reason: str) -> None:
    response = deploy(world.client_for_key(world.admin_key), account, **changes)
    assert (response.status_code, code(response)) == (400, reason), response.content
    assert not Deployment.unscoped.exists()


def test_roles_and_other_tenants(world: World, account: int) -> None:
    viewer = world.client_for_key(world.read_key)
    assert deploy(viewer, account).status_code == 403
    d = deploy(world.client_for_key(world.admin_key), account).json()
    assert viewer.get(f"{DEPLOYMENTS}/{d['id']}").status_code == 200
    assert viewer.post(f"{DEPLOYMENTS}/{d['id']}/pause").status_code == 403
    other = world.client_for_key(world.other_key)
    for response in (
        other.get(f"{DEPLOYMENTS}/{d['id']}"),
        other.post(f"{DEPLOYMENTS}/{d['id']}/stop"),
        other.get(f"{DEPLOYMENTS}/{d['id']}/signals"),
        other.get(f"{DEPLOYMENTS}/{d['id']}/performance"),
    ):
        assert response.status_code == 404
    # Deploying onto another tenant's account is refused like a missing account.
    other_account = make_paper_account(world.other).pk
    refused = deploy(world.client_for_key(world.admin_key), other_account)
    assert (refused.status_code, code(refused)) == (400, "unknown_account")


def test_running_deployments_quota(world: World, account: int) -> None:
    Tier.objects.filter(tenants__id=world.tenant.pk).update(live_deployments=1)
    Tenant.objects.filter(pk=world.tenant.pk).update()  # tiers are read fresh per check
    client = world.client_for_key(world.admin_key)
    first = deploy(client, account).json()
    over = deploy(client, account)
    assert (over.status_code, code(over), over.json()["error"]["detail"]["quota"]) == (
        403, "quota_exceeded", "live_deployments",
    )  # fmt: skip
    paused = deploy(client, account, start=False)
    assert paused.json()["status"] == "paused"
    assert code(client.post(f"{DEPLOYMENTS}/{paused.json()['id']}/start")) == "quota_exceeded"
    client.post(f"{DEPLOYMENTS}/{first['id']}/pause")
    assert client.post(f"{DEPLOYMENTS}/{paused.json()['id']}/start").json()["status"] == "running"
