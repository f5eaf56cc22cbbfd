from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from backend.ops.middleware import HookMiddleware


class RateLimitHeadersMiddleware(HookMiddleware):
    """Puts the rate-limit fields the throttle computed on every API response, 429s included."""

    def after(self, request: HttpRequest, response: HttpResponse) -> None:
        state = getattr(request, "qt_ratelimit", None)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
