from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Đơn vị hành chính và Tổ bảo vệ ANTT"
