from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "backend.strategies"
    label = "strategies"
    verbose_name = "Strategies"
    default_auto_field = "django.db.models.BigAutoField"
