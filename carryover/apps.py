from django.apps import AppConfig


class CarryoverConfig(AppConfig):
    name = "carryover"
    verbose_name = "Chuyển giao sau sắp xếp đơn vị hành chính"
