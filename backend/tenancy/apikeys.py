"""Tenant API keys: format, hashing, and the cached lookup behind every keyed request.

A key reads `qt_live_<key_id>_<secret>`: key_id (12 chars) is public and indexes the
row; the secret (43 chars, 256 bits) is shown once and stored only as SHA-256, which
is the right hash for a long random secret (a slow password hash would add latency
without adding safety). Lookups are cached in Redis so authentication costs one cache
read; revocation deletes the cache entry, so it takes effect on the next request in
every process.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

PREFIX = "qt_live_"
_KEY_FORMAT = re.compile(r"^qt_live_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
CACHE_TTL_S = 300
LAST_USED_RESOLUTION_S = 60


class MalformedKey(ValueError):
    pass


@dataclass(frozen=True)
class CachedKey:
    pk: int
    tenant_id: int
    secret_hash: str
    scopes: frozenset[str]
    expires_at: float | None
    revoked: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "pk": self.pk,
            "tenant_id": self.tenant_id,
            "secret_hash": self.secret_hash,
            "scopes": sorted(self.scopes),
            "expires_at": self.expires_at,
            "revoked": self.revoked,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CachedKey:
        return cls(
            pk=data["pk"],
            tenant_id=data["tenant_id"],
            secret_hash=data["secret_hash"],
            scopes=frozenset(data["scopes"]),
            expires_at=data["expires_at"],
            revoked=data["revoked"],
        )

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (time.time() if now is None else now) >= self.expires_at


def generate() -> tuple[str, str, str]:
    """A new key: (key_id, secret, full key string)."""
    key_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))
    secret = secrets.token_urlsafe(32)
    return key_id, secret, f"{PREFIX}{key_id}_{secret}"


def parse(raw: str) -> tuple[str, str]:
    match = _KEY_FORMAT.match(raw)
    if not match:
        raise MalformedKey("API keys look like qt_live_<12 chars>_<43 chars>")
    return match.group(1), match.group(2)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def cache_key(key_id: str) -> str:
    return f"apikey:{key_id}"


def forget(key_id: str) -> None:
    cache.delete(cache_key(key_id))


_last_recorded: dict[str, float] = {}


def should_record_use(key_id: str) -> bool:
    """At most one last-used write per key per minute per process (so the hot path
    costs no extra round trip); the cache add then dedupes across processes."""
    now = time.monotonic()
    if now - _last_recorded.get(key_id, -LAST_USED_RESOLUTION_S) < LAST_USED_RESOLUTION_S:
        return False
    _last_recorded[key_id] = now
    return bool(cache.add(f"apikey-used:{key_id}", 1, LAST_USED_RESOLUTION_S))
