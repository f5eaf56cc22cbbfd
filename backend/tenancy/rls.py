"""Row-level security for tenant-owned tables, as migration operations.

Every tenant-owned table gets ENABLE + FORCE ROW LEVEL SECURITY (FORCE so the
owning role, which the app connects as, is bound too) and one policy: a row is visible
and writable only when its tenant_id equals the transaction's app.tenant_id, or when
the explicit bypass is on. The app must connect as a role that is neither superuser
nor BYPASSRLS, or PostgreSQL skips the policies.
"""

from __future__ import annotations

from django.db import migrations

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION qt_current_tenant() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint $$;
CREATE OR REPLACE FUNCTION qt_current_user() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::bigint $$;
CREATE OR REPLACE FUNCTION qt_rls_bypass() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('app.rls_bypass', true), '') = 'on' $$;
"""


def create_functions() -> migrations.RunSQL:
    return migrations.RunSQL(FUNCTIONS_SQL, reverse_sql=migrations.RunSQL.noop)


def enable_rls(table: str, *, also_visible_when: str = "") -> migrations.RunSQL:
    condition = "tenant_id = qt_current_tenant() OR qt_rls_bypass()"
    if also_visible_when:
        condition += f" OR ({also_visible_when})"
    return migrations.RunSQL(
        f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition});
        """,
        reverse_sql=f"""
        DROP POLICY IF EXISTS tenant_isolation ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """,
    )
