from __future__ import annotations

from django.db import migrations

from backend.tenancy.rls import create_functions, enable_rls


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        create_functions(),
        # A user sees their own memberships in every tenant, to choose one.
        enable_rls("tenancy_membership", also_visible_when="user_id = qt_current_user()"),
        enable_rls("tenancy_invitation"),
        enable_rls("tenancy_apikey"),
        enable_rls("tenancy_auditevent"),
    ]
