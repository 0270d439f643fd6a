from django.urls import path

from . import run_views, views

urlpatterns = [
    path("may-tinh-quy-dinh/", views.calculator, name="rules-calculator"),
    path("don-vi/<int:pk>/chi-tra/", run_views.commune_runs, name="allowance-runs"),
    path("don-vi/<int:pk>/chi-tra/tinh/", run_views.run_compute, name="allowance-compute"),
    path("chi-tra/<int:pk>/", run_views.run_detail, name="allowance-run"),
    path("chi-tra/<int:pk>/xu-ly/", run_views.run_transition, name="allowance-transition"),
    path("chi-tra/<int:pk>/danh-sach.pdf", run_views.run_pdf, name="allowance-pdf"),
    path("chi-tra/<int:pk>/danh-sach.xlsx", run_views.run_xlsx, name="allowance-xlsx"),
    path("chi-tra/cho-duyet/", run_views.approval_queue, name="allowance-queue"),
    path("don-vi/<int:pk>/nhat-ky-nhiem-vu/", run_views.duty_log, name="duty-log"),
    path("nhiem-vu/<int:pk>/xoa/", run_views.duty_entry_delete, name="duty-delete"),
    path("tham-so/thu/", run_views.parameter_trial, name="parameter-trial"),
]
