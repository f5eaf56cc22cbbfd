"""Sign-up, sign-in (with lockout and TOTP), password reset, TOTP enrolment."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.identity import lockout
from backend.identity.models import User
from backend.ops.errors import ApiError
from backend.tenancy import audit
from backend.tenancy.models import Membership, Tenant
from backend.tenancy.selectors import memberships_of
from backend.tenancy.services import tenant_create


def _password_problems(password: str, user: User | None = None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def user_sign_up(*, email: str, password: str, full_name: str, tenant_name: str, ip: str | None) -> tuple[User, Tenant]:
    """A new user and the tenant they own; sign-up never leaves one without the other."""
    email = email.strip().lower()
    probe = User(email=email, full_name=full_name)
    problems = _password_problems(password, probe)
    if problems:
        raise ApiError(code="weak_password", message="The password is too weak.", detail={"password": problems})
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError:
        raise ApiError(code="email_taken", message="An account with this email exists.", status_code=409) from None
    tenant = tenant_create(name=tenant_name or f"{full_name or email.split('@')[0]}'s workspace", owner=user, ip=ip)
    return user, tenant


def _audit_for_user(action: str, user: User, ip: str | None, data: dict[str, str] | None = None) -> None:
    memberships = memberships_of(user.pk)
    for membership in memberships or [None]:  # type: ignore[list-item]
        audit.record(
            action,
            tenant_id=membership.tenant_id if membership else None,
            actor_label=user.email,
            actor_user_id=user.pk,
            ip=ip,
            target=user.email,
            data=data,
        )


@dataclass(frozen=True)
class LoginResult:
    user: User


def login_attempt(*, request: HttpRequest, email: str, password: str, otp: str | None, ip: str | None) -> User:
    """Check credentials (and TOTP when enrolled); raise ApiError with a stable code."""
    email = email.strip().lower()
    lock = lockout.current_lock(email, ip)
    if lock is not None:
        error = ApiError(
            code="login_locked",
            message="Too many failed sign-in attempts; try again later.",
            status_code=429,
            detail={"locked": lock.reason, "retry_after_s": lock.retry_after_s},
        )
        error.wait_s = lock.retry_after_s
        raise error
    user = authenticate(request, username=email, password=password)
    if user is None:
        lockout.record_failure(email, ip)
        known = User.objects.filter(email=email).first()
        if known is not None:
            _audit_for_user("login.failed", known, ip)
        else:
            audit.record("login.failed", tenant_id=None, actor_label=email, ip=ip, target=email)
        raise ApiError(code="invalid_credentials", message="Email or password is wrong.", status_code=401)
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if devices:
        if not otp:
            raise ApiError(code="otp_required", message="Enter the code from your authenticator app.", status_code=401)
        if not any(device.verify_token(otp) for device in devices):
            lockout.record_failure(email, ip)
            _audit_for_user("login.failed", user, ip, {"reason": "otp"})
            raise ApiError(code="otp_invalid", message="The authenticator code is wrong.", status_code=401)
    lockout.clear_account(email)
    _audit_for_user("login.succeeded", user, ip)
    return user  # type: ignore[no-any-return]


def password_reset_request(*, email: str, reset_url_base: str) -> None:
    """Email a reset link if the account exists; the caller answers the same either way."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    send_mail(
        subject="Reset your Quant-Trader password",
        message=(
            "Someone asked to reset the password of this account. If it was you, open:\n"
            f"{reset_url_base}?uid={uid}&token={token}\n\nOtherwise ignore this mail."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str, ip: str | None) -> User:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise ApiError(code="reset_token_invalid", message="This reset link is invalid or has expired.")
    problems = _password_problems(new_password, user)
    if problems:
        raise ApiError(code="weak_password", message="The password is too weak.", detail={"password": problems})
    user.set_password(new_password)  # changes the hash, which invalidates the token
    user.save(update_fields=["password"])
    lockout.clear_account(user.email)
    _audit_for_user("password.reset", user, ip)
    return user


def totp_status(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_begin(user: User) -> TOTPDevice:
    """A fresh unconfirmed device (replacing earlier unconfirmed ones); it counts once confirmed."""
    if totp_status(user):
        raise ApiError(code="otp_already_enabled", message="Two-factor sign-in is already on.", status_code=409)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_confirm(user: User, token: str, ip: str | None) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ApiError(code="otp_not_started", message="Start two-factor set-up first.", status_code=409)
    if not device.verify_token(token):
        raise ApiError(code="otp_invalid", message="The authenticator code is wrong.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit_for_user("otp.enabled", user, ip)


@transaction.atomic
def totp_disable(user: User, password: str, token: str, ip: str | None) -> None:
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        raise ApiError(code="otp_not_enabled", message="Two-factor sign-in is off.", status_code=409)
    if not user.check_password(password) or not any(d.verify_token(token) for d in devices):
        raise ApiError(code="invalid_credentials", message="Password or authenticator code is wrong.", status_code=401)
    TOTPDevice.objects.filter(user=user).delete()
    _audit_for_user("otp.disabled", user, ip)


def memberships_summary(user: User) -> list[Membership]:
    return memberships_of(user.pk)
