"""Which tenant the current code acts for, in Python and in PostgreSQL.

Python code reads the tenant from a context variable (tenant-scoped managers refuse to
run without one). PostgreSQL reads it from the transaction-local settings
`app.tenant_id` / `app.user_id`, which the row-level security policies compare against;
with neither set a tenant-owned table shows no rows at all. Each context opens a
transaction (settings made with set_config(..., true) live exactly as long as it) and
restores the previous values on exit, so contexts nest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

_tenant_id: ContextVar[int | None] = ContextVar("qt_tenant_id", default=None)
_user_id: ContextVar[int | None] = ContextVar("qt_user_id", default=None)
_bypass: ContextVar[bool] = ContextVar("qt_rls_bypass", default=False)


class TenantContextMissing(RuntimeError):
    """Tenant-owned data was queried with no tenant in context: a bug, refused on purpose."""


def current_tenant_id() -> int | None:
    return _tenant_id.get()


def current_user_id() -> int | None:
    return _user_id.get()


def bypass_active() -> bool:
    return _bypass.get()


def _set_db(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def _scoped(var: ContextVar, value: object, setting: str, db_value: str, db_previous: str) -> Iterator[None]:  # type: ignore[type-arg]
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        token = var.set(value)
        _set_db(setting, db_value)
        try:
            yield
        except BaseException:
            # Rolling the transaction (or savepoint) back reverts set_config too.
            var.reset(token)
            raise
        var.reset(token)
        if not outermost:
            # The enclosing transaction goes on: put the outer context's value back.
            _set_db(setting, db_previous)


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[None]:
    """Act for one tenant: ORM scoping and row-level security both follow it."""
    previous = _tenant_id.get()
    with _scoped(
        _tenant_id, tenant_id, "app.tenant_id", str(int(tenant_id)), "" if previous is None else str(previous)
    ):
        yield


@contextmanager
def user_context(user_id: int) -> Iterator[None]:
    """Let a user see their own memberships across tenants (before a tenant is chosen)."""
    previous = _user_id.get()
    with _scoped(_user_id, user_id, "app.user_id", str(int(user_id)), "" if previous is None else str(previous)):
        yield


@contextmanager
def dangerously_bypass_rls() -> Iterator[None]:
    """See every tenant's rows. Only for staff tools, key lookup by id, invitation
    acceptance by token and system tasks: code reviewers should question each use."""
    with _scoped(_bypass, True, "app.rls_bypass", "on", "on" if _bypass.get() else ""):
        yield
