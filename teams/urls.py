from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("don-vi/<int:pk>/", views.unit_detail, name="unit-detail"),
    # Residential areas and teams of a commune
    path("don-vi/<int:pk>/khu-dan-cu/them/", views.area_create, name="area-create"),
    path("khu-dan-cu/<int:pk>/sua/", views.area_edit, name="area-edit"),
    path("don-vi/<int:pk>/to/them/", views.team_create, name="team-create"),
    path("to/<int:pk>/", views.team_detail, name="team-detail"),
    path("to/<int:pk>/sua/", views.team_edit, name="team-edit"),
    path("to/<int:pk>/giai-the/", views.team_dissolve, name="team-dissolve"),
    # Members
    path("to/<int:pk>/them-thanh-vien/", views.member_add, name="member-add"),
    path("thanh-vien/<int:pk>/", views.person_detail, name="person-detail"),
    path("thanh-vien/<int:pk>/sua/", views.person_edit, name="person-edit"),
    path("tham-gia/<int:pk>/sua/", views.membership_edit, name="membership-edit"),
    path("tham-gia/<int:pk>/thoi-tham-gia/", views.membership_end, name="membership-end"),
    path("tham-gia/<int:pk>/chuyen-to/", views.membership_transfer, name="membership-transfer"),
    # Lists, Excel
    path("don-vi/<int:pk>/thanh-vien/", views.roster, name="roster"),
    path("don-vi/<int:pk>/thanh-vien.xlsx", views.roster_export, name="roster-export"),
    path("don-vi/<int:pk>/nhap-excel/", views.import_upload, name="roster-import"),
    path("don-vi/<int:pk>/nhap-excel/mau.xlsx", views.import_template, name="roster-template"),
    path("nhap-excel/<int:pk>/", views.import_preview, name="roster-import-preview"),
    # Accounts
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ngon-ngu/", views.language_switch, name="set-language"),
]
