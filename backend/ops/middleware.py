from __future__ import annotations

import re
import uuid
from typing import Any

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A caller-supplied id is echoed only when it is short and plain, so it cannot be
# used to inject text into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class HookMiddleware:
    """Base for middleware that only acts before and after the rest of the chain.

    Sync- and async-capable, so under ASGI Django does not hop to a thread for it
    (every sync-only middleware costs a thread switch per request).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def before(self, request: HttpRequest) -> None:
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> None:
        return None

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        self.before(request)
        try:
            response: HttpResponse = self.get_response(request)
        finally:
            self.cleanup(request)
        self.after(request, response)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        self.before(request)
        try:
            response: HttpResponse = await self.get_response(request)
        finally:
            self.cleanup(request)
        self.after(request, response)
        return response

    def cleanup(self, request: HttpRequest) -> None:
        return None


class RequestIdMiddleware(HookMiddleware):
    """Give every request an id, bind it to the log context and echo it back."""

    def before(self, request: HttpRequest) -> None:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = supplied if _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id, tenant_id=None)  # type: ignore[attr-defined]

    def cleanup(self, request: HttpRequest) -> None:
        structlog.contextvars.clear_contextvars()

    def after(self, request: HttpRequest, response: HttpResponse) -> None:
        response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
