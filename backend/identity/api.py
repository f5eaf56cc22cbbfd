from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import CSRFCheck
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.identity import services
from backend.identity.serializers import (
    LoginIn,
    MeOut,
    OtpDisableIn,
    OtpIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    SignUpIn,
)
from backend.ops.errors import ApiError
from backend.tenancy.audit import client_ip
from backend.tenancy.principal import Principal

OK = inline_serializer("Ok", {"ok": serializers.BooleanField()})


def enforce_csrf(request: Request) -> None:
    """Sign-in forms are CSRF-protected too (login CSRF), though no session exists yet."""
    check = CSRFCheck(lambda req: None)  # type: ignore[arg-type,return-value]
    check.process_request(request._request)
    reason = check.process_view(request._request, None, (), {})  # type: ignore[arg-type]
    if reason:
        raise ApiError(
            code="csrf_failed", message=f"CSRF check failed: {reason}. GET /api/v1/auth/csrf first.", status_code=403
        )


def me_payload(request: Request) -> dict[str, Any]:
    user = request.user
    principal = request.auth if isinstance(request.auth, Principal) else None
    return MeOut(
        {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "is_staff": user.is_staff,
            "otp_enabled": services.totp_status(user),
            "active_tenant_id": principal.tenant_id if principal else None,
            "memberships": services.memberships_summary(user),
        }
    ).data


class PeopleOnly(IsAuthenticated):
    message = "This endpoint is for signed-in users, not API keys."

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.auth
        return super().has_permission(request, view) and isinstance(principal, Principal) and not principal.is_api_key


class CsrfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Get a CSRF token (also set as the csrftoken cookie)",
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}),
    )
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class SignUpView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Create an account and its first tenant, and sign in",
        request=SignUpIn,
        responses={201: MeOut},
        examples=[
            OpenApiExample(
                "sign up",
                value={
                    "email": "ana@example.com",
                    "password": "a long passphrase",
                    "full_name": "Ana",
                    "tenant_name": "Ana Capital",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        enforce_csrf(request)
        data = SignUpIn(data=request.data)
        data.is_valid(raise_exception=True)
        user, _tenant = services.user_sign_up(ip=client_ip(request), **data.validated_data)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        request._request.user = user
        request._user = user  # type: ignore[attr-defined]
        request._auth = Principal(user_id=user.pk)  # type: ignore[attr-defined]
        return Response(me_payload(request), status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Sign in with email and password (and the TOTP code when enabled)",
        request=LoginIn,
        responses={200: MeOut},
        description=(
            "Errors: 401 invalid_credentials, 401 otp_required (send `otp`), 401 otp_invalid, "
            "429 login_locked (with Retry-After) after repeated failures per account or per IP."
        ),
    )
    def post(self, request: Request) -> Response:
        enforce_csrf(request)
        data = LoginIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.login_attempt(
            request=request._request,
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            otp=data.validated_data.get("otp") or None,
            ip=client_ip(request),
        )
        login(request._request, user)
        request._user = user  # type: ignore[attr-defined]
        request._auth = Principal(user_id=user.pk)  # type: ignore[attr-defined]
        return Response(me_payload(request))


class LogoutView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(tags=["auth"], summary="Sign out", request=None, responses=OK)
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response({"ok": True})


class PasswordResetView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Email a password-reset link (answers the same whether or not the account exists)",
        request=PasswordResetIn,
        responses={202: OK},
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetIn(data=request.data)
        data.is_valid(raise_exception=True)
        base = request.build_absolute_uri("/reset-password")
        services.password_reset_request(email=data.validated_data["email"], reset_url_base=base)
        return Response({"ok": True}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"], summary="Set a new password with the emailed token", request=PasswordResetConfirmIn, responses=OK
    )
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(ip=client_ip(request), **data.validated_data)
        return Response({"ok": True})


class TotpView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(
        tags=["auth"],
        summary="Is two-factor sign-in on?",
        responses=inline_serializer("OtpStatus", {"enabled": serializers.BooleanField()}),
    )
    def get(self, request: Request) -> Response:
        return Response({"enabled": services.totp_status(request.user)})


class TotpSetupView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(
        tags=["auth"],
        summary="Start TOTP enrolment: scan otpauth_url, then confirm with a code",
        request=None,
        responses=inline_serializer("OtpSetup", {"otpauth_url": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        device = services.totp_begin(request.user)
        return Response({"otpauth_url": device.config_url})


class TotpConfirmView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(tags=["auth"], summary="Finish TOTP enrolment with a current code", request=OtpIn, responses=OK)
    def post(self, request: Request) -> Response:
        data = OtpIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.totp_confirm(request.user, data.validated_data["token"], client_ip(request))
        return Response({"ok": True})


class TotpDisableView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(
        tags=["auth"], summary="Turn TOTP off (password and a current code)", request=OtpDisableIn, responses=OK
    )
    def post(self, request: Request) -> Response:
        data = OtpDisableIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.totp_disable(
            request.user, data.validated_data["password"], data.validated_data["token"], client_ip(request)
        )
        return Response({"ok": True})


SessionOut = inline_serializer(
    "SessionOut", {"authenticated": serializers.BooleanField(), "me": MeOut(allow_null=True)}
)


class SessionView(APIView):
    """Who the browser is signed in as, answered 200 either way: the SPA asks at every start,
    and a 401 there would be a console error on every signed-out page load."""

    permission_classes = [AllowAny]

    @extend_schema(tags=["auth"], summary="The browser session: signed in (with /me) or not", responses=SessionOut)
    def get(self, request: Request) -> Response:
        if PeopleOnly().has_permission(request, self):
            return Response({"authenticated": True, "me": me_payload(request)})
        return Response({"authenticated": False, "me": None})


class MeView(APIView):
    permission_classes = [PeopleOnly]

    @extend_schema(tags=["auth"], summary="The signed-in user, their tenants and roles", responses=MeOut)
    def get(self, request: Request) -> Response:
        return Response(me_payload(request))
