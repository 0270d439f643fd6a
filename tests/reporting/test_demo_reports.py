"""The demo writes its year of monthly reports in bulk (reporting/demo.py `_monthly_reports`),
repeating the rows the services write: the report, its history rows and its actions. Here the
same reports go through the services one step at a time, and the rows must be the same, so a
change to what the services write that the bulk path does not follow fails here instead of
leaving the demo quietly different from real use."""

from __future__ import annotations

import random
from collections import Counter

from django.utils import timezone

from reporting import demo, services
from reporting.models import MANUAL_FIELDS, Report, ReportAction
from reporting.periods import PeriodKind

# Set by the clock or the database, not by what was done: left out of the comparison.
VOLATILE = {"id", "history_id", "history_date", "submitted_at", "updated_at", "at", "report_id"}


def _rows(commune) -> dict[str, list]:
    reports = Report.objects.filter(unit=commune).order_by("period")
    history = Report.history.filter(unit=commune).order_by("period", "history_id")
    actions = ReportAction.objects.filter(report__unit=commune).order_by("report__period", "pk")

    def values(queryset) -> list[dict]:
        return [
            {key: value for key, value in row.items() if key not in VOLATILE}
            for row in queryset.values()
        ]

    return {
        "reports": values(reports),
        "history": values(history),
        "actions": [
            (period, *row)
            for period, *row in actions.values_list(
                "report__period", "actor_id", "from_state", "to_state", "comment"
            )
        ],
    }


def test_the_demos_bulk_reports_are_the_rows_the_services_write(world, db_params):
    commune = world.units["tien_kien"]  # old tree: a year of reports up to June 2025, accepted
    officer = world.users["canbo_xa1"]
    police = {name: world.users[name] for name in ("congan_tinh", "congan_huyen")}
    police["congan_ct"] = world.users["congan_tinh"]  # not used by an old Phú Thọ commune
    demo._monthly_reports([commune], {commune.pk: officer}, police, random.Random(7), Counter())
    bulk = _rows(commune)
    assert len(bulk["reports"]) == 11 and len(bulk["history"]) >= 5 * 11

    # The same reports again, through the services, on the days and by the people the demo
    # chose (read back from its rows).
    done = list(Report.objects.filter(unit=commune).order_by("period"))
    acted = {
        (a.report_id, a.to_state): a.actor
        for a in ReportAction.objects.filter(report__in=done).select_related("actor")
    }
    Report.objects.filter(unit=commune).delete()
    Report.history.filter(unit=commune).delete()  # the bulk rows, and the deletions' own
    periods = {p.key: p for p in demo._monthly("2024-08", "2025-06")}
    for old in done:
        day = timezone.localtime(old.submitted_at, demo.TZ).date()
        report = services.report_get(
            unit=commune, kind=PeriodKind.MONTHLY, period=periods[old.period]
        )
        values = {name: getattr(old, name) for name in (*MANUAL_FIELDS, "narrative")}
        report = services.report_update_manual(
            report=report, values=values, version=report.version, actor=officer, today=day
        )
        report = services.report_transition(
            report=report, action="submit", actor=officer, today=day
        )
        reviewer = next(
            (who for (pk, _state), who in acted.items() if pk == old.pk and who != officer), None
        )
        if reviewer is not None:
            services.report_transition(report=report, action="accept", actor=reviewer)

    assert _rows(commune) == bulk
