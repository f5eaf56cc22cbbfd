"""SSRF guard: a webhook may only reach public addresses.

The URL's host is resolved and every address checked (loopback, private, link-local
incl. 169.254.169.254 metadata, multicast, reserved, unspecified, shared CGNAT, and the
IPv4 inside IPv4-mapped/6to4 IPv6 forms); the sender then connects to the address that
was checked, so a DNS answer that changes between check and connect (rebinding) cannot
redirect it. Operators may allow specific networks (webhooks.allowed_private_networks).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Cloud metadata services not already covered by the link-local check.
_METADATA = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}


class UnsafeTarget(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.CONFIG.webhooks.allowed_private_networks]


def address_refused(ip: IPAddress) -> str | None:
    """Why this address may not be reached, or None."""
    if any(ip in net for net in _allowed_networks()):
        return None
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            candidates.append(ip.sixtofour)
    for c in candidates:
        if c in _METADATA:
            return "metadata"
        for flag in ("is_loopback", "is_private", "is_link_local", "is_multicast", "is_reserved", "is_unspecified"):
            if getattr(c, flag):
                return flag.removeprefix("is_")
        if not c.is_global:
            return "not_global"
    return None


def check_url(url: str, *, resolve: bool = True) -> Target:
    """Parse, require http(s) (https outside DEBUG), resolve and check. Raises UnsafeTarget."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("invalid_url", "The URL must be an absolute http(s) URL.")
    if parts.scheme != "https" and not settings.DEBUG:
        raise UnsafeTarget("https_required", "Webhook URLs must use https.")
    if parts.username or parts.password:
        raise UnsafeTarget("invalid_url", "Credentials in webhook URLs are not allowed.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    elif not resolve:
        return Target(parts.scheme, host, port, path, "")
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise UnsafeTarget("unresolvable_host", f"{host} does not resolve.") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeTarget("unresolvable_host", f"{host} does not resolve.")
    for ip in addresses:
        reason = address_refused(ip)
        if reason:
            raise UnsafeTarget("forbidden_address", f"{host} resolves to a {reason.replace('_', ' ')} address ({ip}).")
    return Target(parts.scheme, host, port, path, str(addresses[0]))
