from __future__ import annotations

from dataclasses import dataclass, field

from backend.tenancy.models import ROLE_RANK, Role, Scope
from backend.tenancy.tiers import TierInfo

# What an API key may do is capped by its scopes, expressed as the role it acts with.
SCOPE_ROLE = {Scope.READ: Role.VIEWER, Scope.TRADE: Role.TRADER, Scope.ADMIN: Role.ADMIN}
ROLE_SCOPE = {Role.VIEWER: Scope.READ, Role.TRADER: Scope.TRADE, Role.ADMIN: Scope.ADMIN, Role.OWNER: Scope.ADMIN}


@dataclass(frozen=True)
class Principal:
    """Who is calling and for which tenant: set as request.auth by our authenticators."""

    user_id: int | None
    tenant_id: int | None = None
    role: Role | None = None
    api_key_pk: int | None = None
    key_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    user_email: str | None = None
    # Already fetched during authentication, so the rate limiter need not fetch it again.
    tier: TierInfo | None = None

    @property
    def is_api_key(self) -> bool:
        return self.api_key_pk is not None

    @property
    def label(self) -> str:
        if self.key_id:
            return f"key qt_live_{self.key_id}"
        return self.user_email or f"user {self.user_id}"

    def allows(self, role: Role) -> bool:
        """Membership role (or key scope) at least `role`."""
        if self.role is None:
            return False
        if ROLE_RANK[self.role] < ROLE_RANK[role]:
            return False
        return not self.is_api_key or ROLE_SCOPE[role] in self.scopes


def key_role(scopes: frozenset[str]) -> Role:
    return max((SCOPE_ROLE[Scope(s)] for s in scopes), key=lambda r: ROLE_RANK[r], default=Role.VIEWER)
