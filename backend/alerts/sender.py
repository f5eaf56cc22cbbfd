"""One webhook HTTP attempt: to the checked address only, no redirects, response read capped."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from backend.alerts.ssrf import Target, UnsafeTarget, check_url


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    latency_ms: int
    error: str
    excerpt: str


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to a fixed address while verifying the certificate (and SNI) for the hostname."""

    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address
        self._ctx = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(sock, server_hostname=self.host)


_tls = ssl.create_default_context()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout_s: float, max_bytes: int) -> Outcome:
    started = time.monotonic()

    def done(ok: bool, code: int | None, error: str, excerpt: str = "") -> Outcome:
        return Outcome(ok, code, int((time.monotonic() - started) * 1000), error[:300], excerpt[:500])

    try:
        target = check_url(url)  # re-resolved at every send
    except UnsafeTarget as exc:
        return done(False, None, f"{exc.code}: {exc}")
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPSConnection(target, timeout_s, _tls)
    else:
        conn = http.client.HTTPConnection(target.address, target.port, timeout=timeout_s)
    host_header = target.host if ":" not in target.host else f"[{target.host}]"
    if target.port not in (80, 443):
        host_header += f":{target.port}"
    try:
        conn.request("POST", target.path, body=body, headers={**headers, "Host": host_header})
        response = conn.getresponse()
        excerpt = response.read(max_bytes).decode("utf-8", errors="replace")
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return done(False, None, f"connection_error: {type(exc).__name__}: {exc}")
    finally:
        conn.close()
    if 200 <= status < 300:
        return done(True, status, "", excerpt)
    if 300 <= status < 400:
        # Redirects are never followed (the next hop could be an internal address).
        return done(False, status, "redirect_not_followed", excerpt)
    return done(False, status, f"http_{status}", excerpt)
