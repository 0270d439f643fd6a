from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("viec-can-lam/", views.inbox, name="inbox"),
    path("viec-can-lam/so-luong/", views.inbox_count, name="inbox-count"),
]
