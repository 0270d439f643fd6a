from django.urls import path

from . import views

urlpatterns = [
    path("don-vi/<int:pk>/an-toan-antt/", views.commune_overview, name="safe-areas"),
    path("khu-dan-cu/<int:pk>/an-toan-antt/<int:year>/", views.area_year, name="safe-area-year"),
    path("an-toan-antt/<int:pk>/vu-viec/", views.area_event, name="safe-area-event"),
    path("an-toan-antt/<int:pk>/tu-danh-gia/", views.area_assess, name="safe-area-assess"),
    path("an-toan-antt/<int:pk>/xu-ly/", views.area_transition, name="safe-area-transition"),
    path(
        "an-toan-antt/<int:pk>/giay-cong-nhan.pdf",
        views.area_certificate,
        name="safe-area-certificate",
    ),
    path(
        "don-vi/<int:pk>/an-toan-antt/co-so/them/",
        views.establishment_add,
        name="safe-establishment-add",
    ),
    path("co-so-antt/<int:pk>/", views.establishment, name="safe-establishment"),
    path("khu-dan-cu/<int:pk>/mo-hinh-tu-quan/", views.area_models, name="safe-models"),
    path("mo-hinh-tu-quan/<int:pk>/", views.model_detail, name="safe-model"),
    path(
        "don-vi/<int:pk>/an-toan-antt/xa/<int:year>/",
        views.commune_year,
        name="safe-commune-year",
    ),
    path(
        "an-toan-antt/xa/<int:pk>/xu-ly/",
        views.commune_year_transition,
        name="safe-commune-transition",
    ),
    path("don-vi/<int:pk>/an-toan-antt/tong-hop/", views.summary, name="safe-summary"),
    path("don-vi/<int:pk>/an-toan-antt/tong-hop.pdf", views.summary_pdf, name="safe-summary-pdf"),
    path(
        "don-vi/<int:pk>/an-toan-antt/tong-hop.xlsx", views.summary_xlsx, name="safe-summary-xlsx"
    ),
    path(
        "don-vi/<int:pk>/an-toan-antt/bao-cao-nam.pdf",
        views.commune_report,
        name="safe-commune-report",
    ),
]
