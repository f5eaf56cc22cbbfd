from __future__ import annotations

from django.db import migrations

from backend.tenancy.rls import enable_rls


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [
        enable_rls("trading_paperaccount"),
        enable_rls("trading_accountbalance"),
        enable_rls("trading_order"),
        enable_rls("trading_fill"),
        enable_rls("trading_position"),
        enable_rls("trading_equitysample"),
    ]
