from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from backend.ops.health import as_json, check_readiness
from backend.ops.metrics import READYZ_TOTAL
from backend.ops.readiness import readiness_targets


@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests. Dependencies are /readyz's concern."""
    return JsonResponse({"status": "ok"})


@never_cache
async def readyz(request: HttpRequest) -> JsonResponse:
    results = await check_readiness(readiness_targets())
    failing = sorted(name for name, result in results.items() if not result.ok)
    status = "fail" if failing else "ok"
    READYZ_TOTAL.labels(status).inc()
    body = {
        "status": status,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "failing": failing,
        "components": as_json(results),
    }
    return JsonResponse(body, status=503 if failing else 200)


def spa_index(request: HttpRequest, path: str = "") -> HttpResponse:
    """Serve the single-page app's shell for client-side routes."""
    index = settings.SPA_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The web app is not built yet: run `make up` (or `npm --prefix frontend run build`).",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse(index.read_bytes(), content_type="text/html")
