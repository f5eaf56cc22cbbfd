"""Webhook secrets: generated, encrypted at rest, and used to sign per the Standard Webhooks spec.

Signing needs the secret itself (a hash would not do), so it is stored encrypted with
Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key derived from
SECRET_KEY with HKDF; the database alone does not reveal it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"
_fernet: tuple[str, Fernet] | None = None


def _cipher() -> Fernet:
    global _fernet
    if _fernet is None or _fernet[0] != settings.SECRET_KEY:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"qt-webhook-secrets").derive(
            settings.SECRET_KEY.encode()
        )
        _fernet = (settings.SECRET_KEY, Fernet(base64.urlsafe_b64encode(key)))
    return _fernet[1]


def generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def encrypt(secret: str) -> str:
    return _cipher().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _cipher().decrypt(token.encode()).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret's decoded bytes."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(secret: str, msg_id: str, timestamp: int, body: bytes, header: str) -> bool:
    expected = sign(secret, msg_id, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())
