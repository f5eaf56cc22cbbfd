"""Request-rate limits per tier, with django-ratelimit counting in Redis.

Budgets are per tenant (all its keys and members share it, so minting keys does not
multiply the limit), per user for signed-in users with no tenant chosen, and per IP
for anonymous calls. Two windows, a minute and a day. Every API response carries
GitHub/Alpaca-style X-RateLimit-* fields and the IETF httpapi draft's RateLimit-Policy
and RateLimit fields (draft-ietf-httpapi-ratelimit-headers: `"name";q=quota;w=window`
and `"name";r=remaining;t=seconds-to-reset`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from backend.ops.errors import ApiError
from backend.tenancy.audit import client_ip
from backend.tenancy.principal import Principal
from backend.tenancy.tiers import TierInfo, default_tier_info, tier_of

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Window:
    name: str
    limit: int
    period_s: int
    used: int
    reset_in_s: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit


@dataclass(frozen=True)
class RateState:
    tier: str
    minute: Window
    day: Window

    def headers(self) -> dict[str, str]:
        now = int(time.time())
        return {
            "X-RateLimit-Limit": str(self.minute.limit),
            "X-RateLimit-Remaining": str(self.minute.remaining),
            "X-RateLimit-Reset": str(now + self.minute.reset_in_s),
            "RateLimit-Policy": ", ".join(f'"{w.name}";q={w.limit};w={w.period_s}' for w in (self.minute, self.day)),
            "RateLimit": ", ".join(f'"{w.name}";r={w.remaining};t={w.reset_in_s}' for w in (self.minute, self.day)),
        }


def _budget(request: Request) -> tuple[str, TierInfo]:
    principal = request.auth if isinstance(request.auth, Principal) else None
    if principal is not None and principal.tenant_id is not None:
        return f"tenant:{principal.tenant_id}", principal.tier or tier_of(principal.tenant_id)
    if principal is not None and principal.user_id is not None:
        return f"user:{principal.user_id}", default_tier_info(settings.CONFIG.default_tier)
    per_minute = settings.CONFIG.auth.anonymous_requests_per_minute
    return f"ip:{client_ip(request)}", TierInfo(ANONYMOUS, per_minute, per_minute * 60 * 24)


def _window(request: HttpRequest, name: str, budget: str, limit: int, unit: str, period_s: int) -> Window:
    usage: dict[str, Any] = get_usage(
        request, group=f"api-{name}", key=lambda group, req: budget, rate=f"{limit}/{unit}", increment=True
    )
    return Window(name, limit, period_s, int(usage["count"]), max(int(usage["time_left"]), 1))


class TierRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        budget, tier = _budget(request)
        http_request = request._request
        state = RateState(
            tier=tier.code,
            minute=_window(http_request, "minute", budget, tier.requests_per_minute, "m", 60),
            day=_window(http_request, "day", budget, tier.requests_per_day, "d", 86_400),
        )
        http_request.qt_ratelimit = state  # type: ignore[attr-defined]
        exceeded = [w for w in (state.minute, state.day) if w.exceeded]
        if exceeded:
            window = max(exceeded, key=lambda w: w.reset_in_s)
            raise RateLimited(window, tier.code)
        return True


class RateLimited(ApiError):
    def __init__(self, window: Window, tier: str) -> None:
        super().__init__(
            code="rate_limited",
            message=f"Rate limit of {window.limit} requests per {window.name} exceeded for the {tier} tier.",
            status_code=429,
            detail={"limit": f"requests_per_{window.name}", "quota": window.limit, "tier": tier},
        )
        self.wait_s: int | None = window.reset_in_s
