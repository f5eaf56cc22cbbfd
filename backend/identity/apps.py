from __future__ import annotations

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Users and sign-in: accounts, sessions, password reset, TOTP, login lockout."""

    name = "backend.identity"
    label = "identity"
