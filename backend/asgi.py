"""The ASGI entry point: WebSockets through Channels, HTTP through Django's WSGI handler.

HTTP requests go to Django's synchronous handler on a fixed thread pool (a2wsgi)
rather than Django's ASGI handler: our views are synchronous, and the ASGI handler
starts fresh threads for every request to run them, which measured about 1.6x slower
for authenticated API calls (docs/benchmarks.md). WebSockets stay native ASGI.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

# Sets Django up, which must happen before anything imports models (the WebSocket routes will).
django_http = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from backend.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_http, workers=settings.CONFIG.http.threads),  # type: ignore[arg-type]
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
