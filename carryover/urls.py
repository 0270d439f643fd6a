from django.urls import path

from . import views

urlpatterns = [
    path("don-vi/<int:pk>/chuyen-giao/", views.commune_page, name="carryover-commune"),
    path("don-vi/<int:pk>/chuyen-giao/mo-lai/", views.reopen, name="carryover-reopen"),
    path("chuyen-giao-tinh/", views.province_page, name="carryover-province"),
]
