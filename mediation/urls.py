from django.urls import path

from . import views

urlpatterns = [
    path("don-vi/<int:pk>/hoa-giai/", views.home, name="mediation-home"),
    path("don-vi/<int:pk>/hoa-giai/them-to/", views.team_create, name="mediation-team-create"),
    path("don-vi/<int:pk>/hoa-giai/thu-lao/", views.payments, name="mediation-payments"),
    path("don-vi/<int:pk>/hoa-giai/thong-ke/", views.statistics, name="mediation-statistics"),
    path("don-vi/<int:pk>/hoa-giai/bao-cao/<int:year>/", views.report, name="mediation-report"),
    path(
        "don-vi/<int:pk>/hoa-giai/bao-cao/<int:year>/bao-cao.pdf",
        views.report_pdf,
        name="mediation-report-pdf",
    ),
    path(
        "don-vi/<int:pk>/hoa-giai/bao-cao/<int:year>/bao-cao.xlsx",
        views.report_xlsx,
        name="mediation-report-xlsx",
    ),
    path("to-hoa-giai/<int:pk>/", views.team_detail, name="mediation-team"),
    path("to-hoa-giai/<int:pk>/sua/", views.team_edit, name="mediation-team-edit"),
    path(
        "to-hoa-giai/<int:pk>/them-hoa-giai-vien/",
        views.mediator_add,
        name="mediation-mediator-add",
    ),
    path("to-hoa-giai/<int:pk>/bau-to-truong/", views.election, name="mediation-election"),
    path("to-hoa-giai/<int:pk>/kien-toan/", views.consolidation, name="mediation-consolidation"),
    path("to-hoa-giai/<int:pk>/vu-viec-moi/", views.case_create, name="mediation-case-create"),
    path("to-hoa-giai/<int:pk>/so-theo-doi.pdf", views.book_pdf, name="mediation-book-pdf"),
    path("to-hoa-giai/<int:pk>/so-theo-doi.xlsx", views.book_xlsx, name="mediation-book-xlsx"),
    path("to-hoa-giai/<int:pk>/nhap-so/", views.book_import, name="mediation-book-import"),
    path("hoa-giai-vien/<int:pk>/", views.mediator_detail, name="mediation-mediator"),
    path("hoa-giai-vien/<int:pk>/thoi/", views.mediator_end, name="mediation-mediator-end"),
    path(
        "hoa-giai-vien/<int:pk>/tai-nan/", views.accident_create, name="mediation-accident-create"
    ),
    path("vu-viec-hoa-giai/<int:pk>/", views.case_detail, name="mediation-case"),
    path(
        "vu-viec-hoa-giai/<int:pk>/thay-hoa-giai-vien/",
        views.case_replace,
        name="mediation-case-replace",
    ),
    path("thu-lao-hoa-giai/<int:pk>/", views.payment_detail, name="mediation-payment"),
    path(
        "thu-lao-hoa-giai/<int:pk>/danh-sach.pdf", views.payment_pdf, name="mediation-payment-pdf"
    ),
    path(
        "thu-lao-hoa-giai/<int:pk>/danh-sach.xlsx",
        views.payment_xlsx,
        name="mediation-payment-xlsx",
    ),
    path("tai-nan-hoa-giai/<int:pk>/", views.accident_detail, name="mediation-accident"),
    path("giay-to-hoa-giai/<int:pk>/", views.accident_document, name="mediation-accident-document"),
    path("tai-lieu-hoa-giai/<int:pk>/", views.document_job, name="mediation-document-job"),
    path(
        "tai-lieu-hoa-giai/<int:pk>/tao-lai/",
        views.document_restart,
        name="mediation-document-restart",
    ),
    path(
        "tai-lieu-hoa-giai/<int:pk>/tai-ve/",
        views.document_download,
        name="mediation-document-download",
    ),
]
