from __future__ import annotations

import time

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_documents_versioned_api(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/system/time" in schema["paths"]
    assert "/api/v1/system/info" in schema["paths"]


def test_swagger_ui_is_served(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_server_time_is_current_epoch_ms(client: Client) -> None:
    before = time.time_ns() // 1_000_000
    body = client.get("/api/v1/system/time").json()
    after = time.time_ns() // 1_000_000
    assert before <= body["server_time_ms"] <= after


def test_unknown_api_path_is_a_json_404_not_the_spa(client: Client) -> None:
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert b'<div id="root">' not in response.content


def test_api_errors_use_the_stable_envelope(client: Client) -> None:
    response = client.post("/api/v1/system/time")
    assert response.status_code == 405
    assert response.json() == {"error": {"code": "method_not_allowed", "message": 'Method "POST" not allowed.'}}


def test_spa_routes_serve_the_app_shell(client: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "index.html").write_text('<!doctype html><div id="root"></div>')
    settings.SPA_DIST = tmp_path
    response = client.get("/markets/BTC-USDT")
    assert response.status_code == 200
    assert b'<div id="root">' in response.content


def test_spa_routes_say_how_to_build_the_app_when_missing(client: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SPA_DIST = tmp_path / "missing"
    response = client.get("/markets/BTC-USDT")
    assert response.status_code == 503
    assert b"make up" in response.content


def test_openapi_schema_generates_without_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    expected = {"/api/v1/api-keys", "/api/v1/members/{id}", "/api/v1/auth/login", "/api/v1/audit-log"}
    assert expected <= set(schema["paths"])
    assert {"apiKey", "session"} <= set(schema["components"]["securitySchemes"])
