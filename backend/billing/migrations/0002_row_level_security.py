from django.db import migrations

from backend.tenancy.rls import enable_rls


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [enable_rls("billing_billingaccount")]
