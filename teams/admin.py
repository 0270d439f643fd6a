from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .access import admin_scope_q
from .models import (
    AdministrativeUnit,
    Assignment,
    Membership,
    Person,
    ResidentialArea,
    RosterImport,
    Team,
    UnitSuccession,
    User,
)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    unit_paths = ("unit__path",)  # config.admin_scope: another province's assignments stay hidden
    autocomplete_fields = ["unit"]


def _beyond(administrator: User, account: User) -> bool:
    """Whether `account` is a superuser or holds an assignment outside `administrator`'s units."""
    return account.is_superuser or (
        account.assignments.exclude(admin_scope_q(administrator, path_field="unit__path")).exists()
    )


@admin.register(User)
class AnttUserAdmin(UserAdmin):
    """Users are listed to a province's administrator when they hold an assignment in it."""

    inlines = [AssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    unit_paths = ("assignments__unit__path",)

    def has_change_permission(self, request, obj=None):
        # An account that also works outside this administrator's units (an assignment
        # elsewhere), or a superuser's, is changed by a superuser only: its password and its
        # other roles are not this province's to touch. It stays listed and viewable.
        if obj is not None and not request.user.is_superuser and _beyond(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and _beyond(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out the superuser flag or Django permissions and groups: a
        # province's administrator gives roles through assignments, which are scoped.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Units come from the official data (`import_units`). Corrected here: the jurisdiction, for
    the rare commune formed from communes of several old provinces, and the minimum-wage region,
    which the official data does not carry (some resolutions pay a % of the regional wage), and
    the island flag (xã đảo: VSI support group «island», Decree 159/2025), which it does not carry
    either."""

    list_display = ["code", "name", "level", "tree", "jurisdiction", "jurisdiction_confirmed"]
    unit_paths = ("path",)
    list_filter = [
        "tree", "level", "kind", "jurisdiction_confirmed", "minimum_wage_region", "is_island",
    ]  # fmt: skip
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
    fields = [
        *readonly_fields,
        "jurisdiction",
        "jurisdiction_note",
        "jurisdiction_confirmed",
        "minimum_wage_region",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "households", "residents", "village_type"]
    unit_paths = ("commune__path",)
    list_filter = ["kind"]
    search_fields = ["name", "commune__name", "commune__code"]
    autocomplete_fields = ["commune"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "partly"]
    unit_paths = ("predecessor__path", "successor__path")
    search_fields = ["predecessor__name", "successor__name", "successor__code"]
    list_select_related = ["predecessor", "successor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Rosters are changed through the roster pages (`teams.services`), which apply the law's
    rules and optimistic locking; the admin shows the rows and their field history only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "person"
    extra = 0
    fields = ["team", "role", "start_date", "end_date", "end_ground"]
    readonly_fields = fields
    can_delete = False
    unit_paths = ("team__commune__path",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "commune", "status", "decision_number", "decision_date"]
    unit_paths = ("commune__path",)
    list_filter = ["status"]
    search_fields = ["name", "commune__name", "commune__code"]
    list_select_related = ["commune"]


@admin.register(Person)
class PersonAdmin(ReadOnlyHistoryAdmin):
    list_display = ["full_name", "cccd", "birth_date", "sex", "household_status"]
    # A person is in a province's scope through a membership or a mediator role there.
    unit_paths = ("memberships__team__commune__path", "mediator_roles__team__commune__path")
    search_fields = ["search_name", "cccd"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["person", "team", "role", "start_date", "end_date", "end_ground"]
    unit_paths = ("team__commune__path",)
    list_filter = ["role", "end_ground"]
    search_fields = ["person__search_name", "person__cccd", "team__name"]
    list_select_related = ["person", "team"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "commune", "uploaded_by", "uploaded_at", "status", "rows"]
    unit_paths = ("commune__path",)
    list_filter = ["status"]
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name != "content"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False
