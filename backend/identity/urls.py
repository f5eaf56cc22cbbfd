from __future__ import annotations

from django.urls import path

from backend.identity import api

urlpatterns = [
    path("auth/csrf", api.CsrfView.as_view(), name="auth-csrf"),
    path("auth/session", api.SessionView.as_view(), name="auth-session"),
    path("auth/signup", api.SignUpView.as_view(), name="auth-signup"),
    path("auth/login", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/password-reset", api.PasswordResetView.as_view(), name="auth-password-reset"),
    path("auth/password-reset/confirm", api.PasswordResetConfirmView.as_view(), name="auth-password-reset-confirm"),
    path("auth/totp", api.TotpView.as_view(), name="auth-totp"),
    path("auth/totp/setup", api.TotpSetupView.as_view(), name="auth-totp-setup"),
    path("auth/totp/confirm", api.TotpConfirmView.as_view(), name="auth-totp-confirm"),
    path("auth/totp/disable", api.TotpDisableView.as_view(), name="auth-totp-disable"),
    path("me", api.MeView.as_view(), name="me"),
]
