from django.urls import path

from . import views

urlpatterns = [
    path("may-tinh-quy-dinh/", views.calculator, name="rules-calculator"),
]
