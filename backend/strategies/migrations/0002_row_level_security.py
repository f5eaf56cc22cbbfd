from __future__ import annotations

from django.db import migrations

from backend.tenancy.rls import enable_rls


class Migration(migrations.Migration):
    dependencies = [("strategies", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [
        enable_rls("strategies_strategymodule"),
        enable_rls("strategies_deployment"),
        enable_rls("strategies_signal"),
    ]
