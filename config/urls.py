from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("workspace.urls")),
    path("", include("teams.urls")),
    path("", include("allowances.urls")),
    path("", include("mediation.urls")),
    path("", include("insurance.urls")),
    path("", include("reporting.urls")),
    path("", include("safe_areas.urls")),
    path("", include("carryover.urls")),
    path("quan-tri/", admin.site.urls),
]
