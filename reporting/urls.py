from django.urls import path

from . import views

PERIOD = "<str:kind>/<str:period>"

urlpatterns = [
    path("bao-cao/", views.reports_home, name="reports-home"),
    path("don-vi/<int:pk>/bao-cao/", views.unit_reports, name="unit-reports"),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/", views.report_detail, name="report-detail"),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/luu/", views.report_save, name="report-save"),
    path(
        f"don-vi/<int:pk>/bao-cao/{PERIOD}/xu-ly/",
        views.report_transition,
        name="report-transition",
    ),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/mo-khoa/", views.lock_exception, name="report-unlock"),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/bao-cao.pdf", views.report_pdf, name="report-pdf"),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/bao-cao.xlsx", views.report_xlsx, name="report-xlsx"),
    path(f"don-vi/<int:pk>/bao-cao/{PERIOD}/phu-luc/", views.roster_annex, name="report-annex"),
    path("don-vi/<int:pk>/tong-hop-bao-cao/", views.dashboard, name="report-dashboard"),
    path("tai-lieu/<int:pk>/", views.document_job, name="document-job"),
    path("tai-lieu/<int:pk>/tao-lai/", views.document_restart, name="document-restart"),
    path("tai-lieu/<int:pk>/tai-ve/", views.document_download, name="document-download"),
    path("don-vi/<int:pk>/huan-luyen/", views.training, name="training"),
    path("huan-luyen/<int:pk>/", views.training_course, name="training-course"),
    path("to/<int:pk>/trang-bi/", views.team_equipment, name="team-equipment"),
]
