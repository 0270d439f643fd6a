"""Mediation in Django's admin (/quan-tri/). The plans (targets and budget lines) have no page
of their own: an administrator enters and corrects them here. Teams, mediators, cases, lists
and reports are changed through the mediation pages (mediation.services checks the law's rules
and the workflows lock what was approved), so the admin shows them read-only; a leader election
typed wrong can be deleted (the team page then reads the previous election), since no page
removes one. Every admin is scoped to the administrator's units (config.admin_scope)."""

from django.contrib import admin

from .models import (
    Accident,
    BudgetLine,
    Consolidation,
    LeaderElection,
    MediationCase,
    MediationPlan,
    MediationTeam,
    Mediator,
    PaymentList,
    YearlyReport,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 1
    fields = ["label", "year", "amount", "remuneration"]
    unit_paths = ("plan__unit__path",)


@admin.register(MediationPlan)
class MediationPlanAdmin(admin.ModelAdmin):
    list_display = ["number", "issuer", "unit", "first_year", "last_year", "success_target"]
    search_fields = ["number", "title", "issuer", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [BudgetLineInline]
    unit_paths = ("unit__path",)
    fieldsets = [
        (None, {"fields": ["unit", "number", "signed_on", "title", "issuer"]}),
        ("Thời gian", {"fields": ["first_year", "last_year"]}),
        (
            "Chỉ tiêu",
            {
                "fields": [
                    ("consolidated_target", "consolidated_strict"),
                    ("success_target", "success_strict"),
                    "secretary_target",
                ]
            },
        ),
        ("Hạn báo cáo năm", {"fields": [("report_due_month", "report_due_day")]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed through the mediation pages only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MediationTeam)
class MediationTeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "commune", "area", "decision_number", "decision_date", "dissolved_on"]
    search_fields = ["name", "commune__name", "area__name"]
    list_select_related = ["commune", "area"]
    unit_paths = ("commune__path",)


@admin.register(Mediator)
class MediatorAdmin(ReadOnlyAdmin):
    list_display = ["person", "team", "decision_number", "decision_date", "ended_on"]
    search_fields = ["person__search_name", "person__cccd", "team__name"]
    list_select_related = ["person", "team"]
    unit_paths = ("team__commune__path",)


@admin.register(LeaderElection)
class LeaderElectionAdmin(ReadOnlyAdmin):
    list_display = ["team", "mediator", "held_on", "votes", "mediators_count"]
    search_fields = ["team__name"]
    list_select_related = ["team", "mediator__person"]
    unit_paths = ("team__commune__path",)

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


@admin.register(Consolidation)
class ConsolidationAdmin(ReadOnlyAdmin):
    list_display = ["team", "year", "reviewed_on", "decision_number", "decision_date"]
    list_filter = ["year"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
    unit_paths = ("team__commune__path",)


@admin.register(MediationCase)
class MediationCaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "team", "received_on", "case_type", "outcome", "closed_on"]
    list_filter = ["outcome", "case_type", "out_of_scope"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
    unit_paths = ("team__commune__path",)


@admin.register(PaymentList)
class PaymentListAdmin(ReadOnlyAdmin):
    list_display = ["commune", "quarter", "state", "paid_on"]
    list_filter = ["state"]
    list_select_related = ["commune"]
    unit_paths = ("commune__path",)


@admin.register(YearlyReport)
class YearlyReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "state", "sent_on", "due_on"]
    list_filter = ["state", "year"]
    list_select_related = ["unit"]
    unit_paths = ("unit__path",)


@admin.register(Accident)
class AccidentAdmin(ReadOnlyAdmin):
    list_display = ["mediator", "occurred_on", "kind", "decision_number"]
    list_select_related = ["mediator__person", "mediator__team"]
    unit_paths = ("mediator__team__commune__path",)
