from django.contrib import admin

from .models import Parameter


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "jurisdiction",
        "value",
        "unit",
        "effective_from",
        "effective_to",
        "source",
        "origin",
    ]
    list_filter = ["source", "jurisdiction", "unit", "origin"]
    search_fields = ["key", "citation", "note"]
    readonly_fields = ["origin", "created_at", "created_by"]
    # config.admin_scope: a province's administrator sees the parameters of its jurisdictions
    # (the old provinces its communes follow) and the national ones, which only a superuser
    # changes.
    jurisdiction_field = "jurisdiction"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
