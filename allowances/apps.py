from django.apps import AppConfig


class AllowancesConfig(AppConfig):
    name = "allowances"
    verbose_name = "Hỗ trợ hằng tháng"
