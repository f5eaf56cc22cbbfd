"""Tenant isolation on every marketplace table, plus the deliberate public reads.

The extra policies are FOR SELECT only (PostgreSQL ORs permissive policies per command),
so another tenant can read a published listing but never write it. Published and yanked
version rows carry no module bytes (see models.py); StrategyModule keeps tenant-only RLS.
"""

from django.db import migrations

from backend.tenancy.rls import enable_rls


def public_read(table: str, condition: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"CREATE POLICY public_read ON {table} FOR SELECT USING ({condition});",
        reverse_sql=f"DROP POLICY IF EXISTS public_read ON {table};",
    )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [
        enable_rls("marketplace_publisherprofile"),
        enable_rls("marketplace_listing"),
        enable_rls("marketplace_listingversion"),
        enable_rls("marketplace_review"),
        enable_rls("marketplace_subscription"),
        public_read("marketplace_publisherprofile", "enabled"),
        public_read("marketplace_listing", "public"),
        public_read("marketplace_listingversion", "status IN ('published', 'yanked') AND length(upload) = 0"),
        public_read("marketplace_review", "true"),
    ]
