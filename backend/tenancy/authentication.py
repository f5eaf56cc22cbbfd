"""DRF authenticators: tenant API keys, and session users acting for a chosen tenant."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication
from rest_framework.request import Request

from backend.ops.errors import ApiError
from backend.tenancy import apikeys, selectors, services
from backend.tenancy.audit import client_ip
from backend.tenancy.models import Role
from backend.tenancy.principal import Principal, key_role

TENANT_HEADER = "X-Tenant"
SESSION_TENANT_KEY = "qt_active_tenant"


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(code=code, message=message, status_code=401)


class ApiKeyUser(AnonymousUser):
    """request.user for key-authenticated calls: authenticated, but no person.
    Keys act as the tenant, within their scopes."""

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return False


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Principal] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme != self.keyword or not raw.startswith(apikeys.PREFIX):
            raise _unauthorized("authorization_malformed", "Use 'Authorization: Bearer qt_live_<id>_<secret>'.")
        try:
            key_id, secret = apikeys.parse(raw.strip())
        except apikeys.MalformedKey as exc:
            raise _unauthorized("api_key_malformed", str(exc)) from None
        found, tier = selectors.api_key_and_tier(key_id)
        if found is None or tier is None or not apikeys.secret_matches(secret, found.secret_hash):
            raise _unauthorized("api_key_invalid", "The API key is not valid.")
        if found.revoked:
            raise _unauthorized("api_key_revoked", "The API key has been revoked.")
        if found.expired():
            raise _unauthorized("api_key_expired", "The API key has expired.")
        if not tier.tenant_active:
            raise ApiError(code="tenant_inactive", message="This tenant is deactivated.", status_code=403)
        services.api_key_record_use(key_pk=found.pk, key_id=key_id, ip=client_ip(request))
        principal = Principal(
            user_id=None,
            tenant_id=found.tenant_id,
            role=key_role(found.scopes),
            api_key_pk=found.pk,
            key_id=key_id,
            scopes=found.scopes,
            tier=tier,
        )
        return ApiKeyUser(), principal

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class SessionTenantAuthentication(authentication.SessionAuthentication):
    """Session (cookie) users, CSRF-checked; the tenant comes from X-Tenant or the session."""

    def authenticate(self, request: Request) -> tuple[Any, Principal] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        ref = request.META.get("HTTP_X_TENANT") or request.session.get(SESSION_TENANT_KEY)
        if not ref:
            memberships = selectors.memberships_of(user.pk)
            if len(memberships) != 1:
                return user, Principal(user_id=user.pk, user_email=user.email)
            membership = memberships[0]
        else:
            membership = selectors.membership_in(user.pk, ref)
            if membership is None:
                # Not a member and does not exist answer alike: no existence oracle.
                raise ApiError(code="tenant_not_found", message="No such tenant.", status_code=404)
        return user, Principal(
            user_id=user.pk, tenant_id=membership.tenant_id, role=Role(membership.role), user_email=user.email
        )
