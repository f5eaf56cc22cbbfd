from django.db import migrations

from backend.tenancy.rls import enable_rls


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [
        enable_rls("alerts_alertrule"),
        enable_rls("alerts_alertfiring"),
        enable_rls("alerts_webhookendpoint"),
        enable_rls("alerts_webhookevent"),
        enable_rls("alerts_webhookdelivery"),
        enable_rls("alerts_webhookattempt"),
    ]
