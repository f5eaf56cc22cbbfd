"""Steps shared by the marketplace and billing tests: publish a listing through the API and staff review."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from rest_framework.test import APIClient

from backend.marketplace import services
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST

LISTING = {"name": "Trend rider", "slug": "trend-rider", "summary": "SMA crossover", "category": "trend",
           "description": "# Trend\n**bold** <script>alert(1)</script>", "tags": ["sma"], "markets": ["sim:BTC-USDT"],
           "intervals": ["1m"], "risk_level": "medium", "price_cents": 0}  # fmt: skip


def code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def upload(client: APIClient, listing_id: int, version: str = "1.0.0", wasm: bytes = SMA_CROSS,
           manifest: Any = SMA_MANIFEST) -> Any:  # fmt: skip
    files = {
        "module": SimpleUploadedFile("m.wasm", wasm, content_type="application/wasm"),
        "manifest": SimpleUploadedFile("m.json", json.dumps(manifest).encode(), content_type="application/json"),
        "version": version,
    }
    # The validation task is queued on commit; run it (eagerly) as the commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/api/v1/marketplace/my-listings/{listing_id}/versions", files, format="multipart")


def publish(client: APIClient, **listing: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Enable publishing, create a listing, upload 1.0.0 (validated eagerly), approve it as staff."""
    assert client.post("/api/v1/marketplace/publisher", {"display_name": "Alpha"}, format="json").status_code == 200
    created = client.post("/api/v1/marketplace/my-listings", {**LISTING, **listing}, format="json")
    assert created.status_code == 201, created.content
    version = upload(client, created.json()["id"])
    assert version.status_code == 202, version.content
    row = client.get(f"/api/v1/marketplace/my-versions/{version.json()['id']}").json()
    assert row["status"] == "in_review", row
    services.version_review(row["id"], approve=True)
    return created.json(), client.get(f"/api/v1/marketplace/my-versions/{row['id']}").json()


def deploy(client: APIClient, account: int, version_id: int, **changes: Any) -> Any:
    body = {"listing_version": version_id, "symbol": "BTC-USDT", "interval": "1m", "account": account, **changes}
    return client.post("/api/v1/deployments", body, format="json")
