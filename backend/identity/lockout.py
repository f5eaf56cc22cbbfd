"""Brute-force protection for login: failures counted per account and per IP in Redis.

Counted per email string whether or not the account exists, so the lockout itself
reveals nothing about which emails are registered.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Lock:
    reason: str  # "account" or "ip"
    retry_after_s: int


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _limits() -> tuple[tuple[str, int], ...]:
    auth = settings.CONFIG.auth
    return (("account", auth.lockout_account_failures), ("ip", auth.lockout_ip_failures))


def current_lock(email: str, ip: str | None) -> Lock | None:
    window = settings.CONFIG.auth.lockout_window_s
    values = {"account": email, "ip": ip or "unknown"}
    keys = {kind: _key(kind, values[kind]) for kind in values}
    found = cache.get_many([*keys.values(), *(f"{k}:start" for k in keys.values())])
    for kind, limit in _limits():
        key = keys[kind]
        if int(found.get(key, 0)) >= limit:
            started = float(found.get(f"{key}:start", time.time()))
            return Lock(kind, max(int(started + window - time.time()), 1))
    return None


def record_failure(email: str, ip: str | None) -> None:
    window = settings.CONFIG.auth.lockout_window_s
    for kind, value in (("account", email), ("ip", ip or "unknown")):
        key = _key(kind, value)
        # add() starts the window on the first failure; incr() never extends it.
        if cache.add(key, 1, window):
            cache.set(f"{key}:start", time.time(), window)
        else:
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, 1, window)


def clear_account(email: str) -> None:
    key = _key("account", email)
    cache.delete_many([key, f"{key}:start"])
