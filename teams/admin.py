from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AdministrativeUnit, Assignment, ResidentialArea, UnitSuccession, User


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class AnttUserAdmin(UserAdmin):
    inlines = [AssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Units come from the official data (`import_units`); only the jurisdiction is corrected
    here, for the rare commune formed from communes of several old provinces."""

    list_display = ["code", "name", "level", "tree", "jurisdiction", "jurisdiction_confirmed"]
    list_filter = ["tree", "level", "kind", "jurisdiction_confirmed"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = [
        "tree",
        "level",
        "kind",
        "code",
        "name",
        "parent",
        "path",
        "valid_from",
        "valid_to",
    ]
    fields = [*readonly_fields, "jurisdiction", "jurisdiction_note", "jurisdiction_confirmed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "households", "residents", "village_type"]
    list_filter = ["kind"]
    search_fields = ["name", "commune__name", "commune__code"]
    autocomplete_fields = ["commune"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "partly"]
    search_fields = ["predecessor__name", "successor__name", "successor__code"]
    list_select_related = ["predecessor", "successor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
