from django.apps import AppConfig


class SafeAreasConfig(AppConfig):
    name = "safe_areas"
    verbose_name = "An toàn về an ninh, trật tự"
