"""The one base class for tenant-owned API resources: isolation is enforced here once.

- The tenant comes from the authenticated principal (API key or session + X-Tenant),
  never from the URL or body.
- Subclasses implement `safely_get_queryset`; overriding `get_queryset` is refused at
  class creation, so the tenant filter cannot be skipped by accident.
- Each request runs in one transaction with the tenant set for row-level security, so
  even a query that forgets the filter sees only this tenant's rows.
- Each action declares the least role it needs (`roles`); API keys need the matching
  scope too. An action without a declared role is refused (fail closed).
- Another tenant's id answers 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, ClassVar

import structlog
from django.db import transaction
from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from backend.ops.errors import ApiError
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Role
from backend.tenancy.principal import Principal


class TenantScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    roles: ClassVar[dict[str, Role]] = {}
    lookup_value_regex = "[0-9]+"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: implement safely_get_queryset(), not get_queryset()")

    @property
    def principal(self) -> Principal:
        auth = self.request.auth
        assert isinstance(auth, Principal)
        return auth

    def safely_get_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        # Belt and braces: scoped manager, this filter, and RLS underneath.
        return self.safely_get_queryset().filter(tenant_id=self.principal.tenant_id)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        principal = request.auth
        if not isinstance(principal, Principal) or principal.tenant_id is None:
            raise ApiError(
                code="tenant_required",
                message="Choose a tenant: send the X-Tenant header (tenant id or slug) or activate one.",
                status_code=400,
            )
        needed = self.roles.get(self.action or "")
        if needed is None or not principal.allows(needed):
            code = "insufficient_scope" if principal.is_api_key else "role_required"
            raise ApiError(
                code=code,
                message=f"This action needs the {needed or 'undeclared'} role"
                + (" (API key scope)" if principal.is_api_key else "")
                + ".",
                status_code=403,
            )
        structlog.contextvars.bind_contextvars(tenant_id=principal.tenant_id)
        self._tenant_scope = ExitStack()
        self._tenant_scope.enter_context(tenant_context(principal.tenant_id))

    def handle_exception(self, exc: Exception) -> Response:
        scope = getattr(self, "_tenant_scope", None)
        if scope is not None:
            self._tenant_scope = None
            scope.__exit__(type(exc), exc, exc.__traceback__)  # roll the transaction back
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        scope = getattr(self, "_tenant_scope", None)
        if scope is not None:
            self._tenant_scope = None
            if response.status_code >= 400:
                # A handler that returned an error without raising still must not commit.
                transaction.set_rollback(True)
            scope.close()
        return super().finalize_response(request, response, *args, **kwargs)
