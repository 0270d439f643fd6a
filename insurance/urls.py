from django.urls import path

from . import views

urlpatterns = [
    path("don-vi/<int:pk>/bao-hiem/", views.commune_lists, name="insurance-lists"),
    path("don-vi/<int:pk>/bao-hiem/lap/", views.list_compute, name="insurance-compute"),
    path("bao-hiem/<int:pk>/", views.list_detail, name="insurance-list"),
    path("bao-hiem/<int:pk>/xu-ly/", views.list_transition, name="insurance-transition"),
    path("bao-hiem/<int:pk>/danh-sach.pdf", views.list_pdf, name="insurance-pdf"),
    path("bao-hiem/<int:pk>/danh-sach.xlsx", views.list_xlsx, name="insurance-xlsx"),
    path("bao-hiem/cho-xu-ly/", views.queue, name="insurance-queue"),
    path("thanh-vien/<int:pk>/bao-hiem/", views.enrolment_edit, name="insurance-enrolment"),
    path("don-vi/<int:pk>/ho-tro-rui-ro/them/", views.incident_create, name="incident-create"),
    path("ho-tro-rui-ro/<int:pk>/", views.incident_detail, name="insurance-incident"),
    path("ho-tro-rui-ro/<int:pk>/sua/", views.incident_edit, name="incident-edit"),
    path("ho-tro-rui-ro/<int:pk>/xu-ly/", views.incident_transition, name="incident-transition"),
    path(
        "ho-tro-rui-ro/<int:pk>/giay-to/", views.incident_document_add, name="incident-document-add"
    ),
    path("giay-to/<int:pk>/", views.incident_document, name="incident-document"),
    path("ho-tro-rui-ro/<int:pk>/quyet-dinh.pdf", views.incident_pdf, name="incident-pdf"),
]
