from __future__ import annotations

import re
import time

import pyotp  # type: ignore[import-not-found]
import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from rest_framework.test import APIClient

from backend.identity.models import User
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import AuditEvent
from tests.tenancy.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def login(client: APIClient, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/login", {"email": email, "password": password, **extra}, format="json")


def test_sign_up_creates_user_and_owned_tenant_with_argon2_password(settings) -> None:  # type: ignore[no-untyped-def]
    from backend import settings as production_settings

    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS  # tests use a fast hasher elsewhere
    client = APIClient()
    response = client.post(
        "/api/v1/auth/signup",
        {"email": "New@Example.test", "password": PASSWORD, "full_name": "New", "tenant_name": "New Fund"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new@example.test"
    assert [(m["tenant_name"], m["role"], m["tier"]) for m in body["memberships"]] == [("New Fund", "owner", "free")]
    assert identify_hasher(User.objects.get(email="new@example.test").password).algorithm == "argon2"
    assert client.get("/api/v1/me").json()["email"] == "new@example.test"


def test_sign_up_rejects_weak_passwords_and_taken_emails_without_writing(world: World) -> None:
    client = APIClient()
    weak = client.post("/api/v1/auth/signup", {"email": "x@y.test", "password": "123"}, format="json")
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "weak_password"
    taken = client.post("/api/v1/auth/signup", {"email": "OWNER@a.test", "password": PASSWORD}, format="json")
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "email_taken"
    assert not User.objects.filter(email="x@y.test").exists()


def test_login_and_logout_with_session_cookie(world: World) -> None:
    client = APIClient()
    assert login(client, "owner@a.test").status_code == 200
    assert client.get("/api/v1/members").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 200
    assert client.get("/api/v1/members").status_code == 401


def test_session_answers_200_signed_in_or_out_and_never_for_api_keys(world: World) -> None:
    client = APIClient()
    assert client.get("/api/v1/auth/session").json() == {"authenticated": False, "me": None}
    assert login(client, "owner@a.test").status_code == 200
    body = client.get("/api/v1/auth/session").json()
    assert body["authenticated"] is True and body["me"]["email"] == "owner@a.test"
    assert client.post("/api/v1/auth/logout").status_code == 200
    assert client.get("/api/v1/auth/session").json()["authenticated"] is False
    # An API key is not a browser session: it learns nothing about a person here.
    by_key = world.client_for_key(world.admin_key).get("/api/v1/auth/session")
    assert by_key.status_code == 200 and by_key.json() == {"authenticated": False, "me": None}


def test_csrf_is_enforced_on_session_writes_and_sign_in() -> None:
    client = APIClient(enforce_csrf_checks=True)
    refused = client.post("/api/v1/auth/signup", {"email": "c@d.test", "password": PASSWORD}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    ok = client.post(
        "/api/v1/auth/signup", {"email": "c@d.test", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201
    no_token = client.post("/api/v1/tenants", {"name": "Second"}, format="json")
    assert no_token.status_code == 403


def test_wrong_password_is_401_and_audited(world: World) -> None:
    response = login(APIClient(), "owner@a.test", "wrong password")
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_credentials"
    with dangerously_bypass_rls():
        assert AuditEvent.unscoped.filter(tenant=world.tenant, action="login.failed").exists()


def test_account_lockout_after_repeated_failures_even_with_the_right_password(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    limit = settings.CONFIG.auth.lockout_account_failures
    client = APIClient()
    for i in range(limit):
        assert login(client, "owner@a.test", "nope", REMOTE_ADDR=f"203.0.113.{i}").status_code == 401
    locked = login(client, "owner@a.test", REMOTE_ADDR="203.0.113.200")
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "login_locked"
    assert locked.json()["error"]["detail"]["locked"] == "account"
    assert int(locked["Retry-After"]) > 0
    assert login(APIClient(), "teammate@a.test", REMOTE_ADDR="203.0.113.201").status_code == 200


def test_ip_lockout_across_accounts(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    limit = settings.CONFIG.auth.lockout_ip_failures
    client = APIClient()
    for i in range(limit):
        login(client, f"guess{i}@nowhere.test", "nope", REMOTE_ADDR="198.51.100.9")
    locked = login(client, "owner@a.test", REMOTE_ADDR="198.51.100.9")
    assert locked.status_code == 429 and locked.json()["error"]["detail"]["locked"] == "ip"


def test_password_reset_by_emailed_token(world: World) -> None:
    client = APIClient()
    assert client.post("/api/v1/auth/password-reset", {"email": "owner@a.test"}, format="json").status_code == 202
    assert client.post("/api/v1/auth/password-reset", {"email": "ghost@a.test"}, format="json").status_code == 202
    [message] = mail.outbox
    uid, token = re.search(r"uid=([^&\s]+)&token=(\S+)", message.body).groups()  # type: ignore[union-attr]
    new = "a brand new passphrase 42"
    done = client.post(
        "/api/v1/auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": new}, format="json"
    )
    assert done.status_code == 200
    reused = client.post(
        "/api/v1/auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": new + "!"}, format="json"
    )
    assert reused.status_code == 400 and reused.json()["error"]["code"] == "reset_token_invalid"
    assert login(APIClient(), "owner@a.test", new).status_code == 200
    assert login(APIClient(), "owner@a.test").status_code == 401


def test_totp_enrolment_then_login_needs_the_code(world: World) -> None:
    client = world.client_for_user(world.owner)
    url = client.post("/api/v1/auth/totp/setup").json()["otpauth_url"]
    secret = re.search(r"secret=([A-Z2-7]+)", url).group(1)  # type: ignore[union-attr]
    totp = pyotp.TOTP(secret)
    assert (
        client.post(
            "/api/v1/auth/totp/confirm", {"token": "000000" if totp.now() != "000000" else "111111"}, format="json"
        ).status_code
        == 400
    )
    assert client.post("/api/v1/auth/totp/confirm", {"token": totp.now()}, format="json").status_code == 200
    assert client.get("/api/v1/auth/totp").json() == {"enabled": True}
    fresh = APIClient()
    needs = login(fresh, "owner@a.test")
    assert needs.status_code == 401 and needs.json()["error"]["code"] == "otp_required"
    assert fresh.get("/api/v1/members").status_code == 401
    # The code used to confirm is spent; the next step's is within the one-step drift.
    next_step = totp.at(int(time.time()) + 30)
    assert login(fresh, "owner@a.test", otp=next_step).status_code == 200
    replay = login(APIClient(), "owner@a.test", otp=next_step)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "otp_invalid"


def test_api_keys_cannot_use_person_only_endpoints(world: World) -> None:
    response = world.client_for_key(world.admin_key).get("/api/v1/me")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{bad json", "application/json", 400, "malformed_request"),
        (b"<x/>", "application/xml", 415, "unsupported_media_type"),
        (b'{"email": "not-an-email", "password": "x"}', "application/json", 400, "invalid_input"),
    ],
)
def test_bad_input_to_sign_in_is_a_clear_4xx(body: bytes, content_type: str, status: int, code: str) -> None:
    response = APIClient().post("/api/v1/auth/login", body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_oversized_body_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    big = b'{"email": "a@b.test", "password": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}'
    response = APIClient().post("/api/v1/auth/login", big, content_type="application/json")
    assert response.status_code in (400, 413)
    assert response.json()["error"]["code"] == "request_too_large"
