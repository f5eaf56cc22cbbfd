from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from backend.tenancy.context import dangerously_bypass_rls


class StaffAdminSite(admin.AdminSite):
    """The admin console: operations staff work across tenants, so every admin view
    (already restricted to active staff by admin_view) runs with the RLS bypass."""

    site_header = "Quant-Trader operations"
    site_title = "Quant-Trader admin"
    index_title = "Operations"

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        @wraps(view)
        def bypassing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_active and request.user.is_staff:
                with dangerously_bypass_rls():
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                        # Template responses query lazily: render inside the bypass.
                        response.render()
                    return response
            return view(request, *args, **kwargs)

        return super().admin_view(bypassing, cacheable)
