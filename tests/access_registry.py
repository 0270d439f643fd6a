"""Every URL pattern of the application, and how the access audit (tests/test_access_audit.py)
reaches a real object of a given unit through it.

Adding a view = adding its pattern name here (the audit fails, naming the pattern, until you
do). One `Entry` per pattern name:

- ``kwargs(side)``: the URL arguments pointing at objects of one unit's data (`Side`, built by
  the audit: a commune with an area, a team, a member, an allowance run, a duty entry, a report
  period, a training course, equipment, a background document and a roster upload). Return a
  list of dicts when the pattern reaches several kinds of unit (commune and district, …).
  ``None`` = a page without an object in the URL (home, queues): the audit then checks that no
  other unit's data shows on it.
- ``methods``: what the view accepts; anything else must answer 405.
- ``write``: the permissions (teams.access.Perm) of which a role must hold at least one for a
  POST to be able to change anything. A persona holding none of them gets 403/404/405 on its own
  unit's objects and the database stays unchanged. Empty = the view never writes.
- ``data(side)``: the form a POST sends (valid enough that only the access check can stop it).

An app's section is one block below; the insurance app adds its own block the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from teams.access import Perm

GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[Any], dict | list[dict]] | None
    methods: tuple[str, ...] = (GET,)
    write: frozenset[Perm] = field(default_factory=frozenset)
    data: Callable[[Any], dict] = lambda side: {}


def _w(*perms: Perm) -> frozenset[Perm]:
    return frozenset(perms)


def unit(side):
    return {"pk": side.commune.pk}


def units(side):
    return [{"pk": side.commune.pk}, {"pk": side.upper.pk}]


def period(side, upper=False):
    return {
        "pk": (side.upper if upper else side.commune).pk,
        "kind": "thang",
        "period": side.period_key,
    }


def periods(side):
    return [period(side), period(side, upper=True)]


ROSTER = _w(Perm.EDIT_ROSTER)
MED = Perm.EDIT_MEDIATION


def med(name):
    """The URL kwargs of one of the unit's mediation objects (tests/mediation/audit.py)."""
    return lambda side: {"pk": getattr(side.mediation, name).pk}


def report_units(side):
    return [{"pk": side.commune.pk, "year": 2026}, {"pk": side.upper.pk, "year": 2026}]


# Patterns left out of the audit, each with its reason. Django's admin (`quan-tri/`) is left
# out as a whole: it has its own permission system, and tests/test_security.py checks who may
# enter it.
EXCLUDED = {
    "login": "trang đăng nhập công khai (khóa sau nhiều lần sai: tests/test_security.py)",
    "logout": "chỉ kết thúc phiên của chính người dùng",
    "set-language": "công khai, chỉ đặt cookie ngôn ngữ",
}

REGISTRY: dict[str, Entry] = {
    # --- teams: units, rosters, Excel -------------------------------------------------------
    "home": Entry(None),
    "inbox": Entry(None),
    "inbox-count": Entry(None),
    "unit-detail": Entry(units),
    "area-create": Entry(unit, (GET, POST), ROSTER, lambda s: {"name": "Khu mới", "kind": "khu"}),
    "area-edit": Entry(
        lambda s: {"pk": s.area.pk},
        (GET, POST),
        ROSTER,
        lambda s: {"name": "Đổi tên", "kind": "khu", "households": 999},
    ),
    "team-create": Entry(unit, (GET, POST), ROSTER, lambda s: {"name": "Tổ mới"}),
    "team-detail": Entry(lambda s: {"pk": s.team.pk}),
    "team-edit": Entry(
        lambda s: {"pk": s.team.pk}, (GET, POST), ROSTER, lambda s: {"name": "Đổi tên Tổ"}
    ),
    "team-dissolve": Entry(lambda s: {"pk": s.team.pk}, (GET, POST), ROSTER),
    "member-add": Entry(lambda s: {"pk": s.team.pk}, (GET, POST), ROSTER),
    "person-detail": Entry(lambda s: {"pk": s.membership.person_id}),
    "person-edit": Entry(
        lambda s: {"pk": s.membership.person_id},
        (GET, POST),
        ROSTER,
        lambda s: {"full_name": "Tên khác"},
    ),
    "membership-edit": Entry(lambda s: {"pk": s.membership.pk}, (GET, POST), ROSTER),
    "membership-end": Entry(lambda s: {"pk": s.membership.pk}, (GET, POST), ROSTER),
    "membership-transfer": Entry(lambda s: {"pk": s.membership.pk}, (GET, POST), ROSTER),
    "roster": Entry(units),
    "roster-export": Entry(units),
    "roster-import": Entry(unit, (GET, POST), ROSTER),
    "roster-template": Entry(unit),
    "roster-import-preview": Entry(lambda s: {"pk": s.roster_import.pk}, (GET, POST), ROSTER),
    # --- allowances ---------------------------------------------------------------------------
    "rules-calculator": Entry(None),
    "allowance-runs": Entry(unit),
    "allowance-compute": Entry(
        unit, (POST,), _w(Perm.RUN_ALLOWANCES), lambda s: {"month": s.run.month.isoformat()}
    ),
    "allowance-run": Entry(lambda s: {"pk": s.run.pk}),
    "allowance-transition": Entry(
        lambda s: {"pk": s.run.pk},
        (POST,),
        _w(Perm.RUN_ALLOWANCES, Perm.APPROVE_ALLOWANCES),
        lambda s: {
            "action": "submit",
            "seen_state": s.run.state,
            "paid_on": "01/01/2026",
        },
    ),
    "allowance-pdf": Entry(lambda s: {"pk": s.run.pk}),
    "allowance-xlsx": Entry(lambda s: {"pk": s.run.pk}),
    "allowance-queue": Entry(None),
    "duty-log": Entry(unit, (GET, POST), _w(Perm.RUN_ALLOWANCES)),
    "duty-delete": Entry(lambda s: {"pk": s.duty_entry.pk}, (POST,), _w(Perm.RUN_ALLOWANCES)),
    "parameter-trial": Entry(None, (GET, POST), _w(Perm.EDIT_PARAMETERS)),
    # --- reporting ----------------------------------------------------------------------------
    "reports-home": Entry(None),
    "unit-reports": Entry(units),
    "report-detail": Entry(periods),
    "report-save": Entry(
        periods,
        (POST,),
        _w(Perm.SUBMIT_REPORT, Perm.CONSOLIDATE_REPORTS),
        lambda s: {"patrols": "7", "version": "0"},
    ),
    "report-transition": Entry(
        periods,
        (POST,),
        _w(Perm.SUBMIT_REPORT, Perm.CONSOLIDATE_REPORTS),
        lambda s: {"action": "submit", "seen_state": "draft"},
    ),
    "report-unlock": Entry(
        periods,
        (POST,),
        _w(Perm.GRANT_LOCK_EXCEPTION),
        lambda s: {"reason": "Mất điện", "until": "31/12/2026"},
    ),
    "report-pdf": Entry(periods),
    "report-xlsx": Entry(periods),
    "report-annex": Entry(periods, (POST,), _w(Perm.VIEW)),
    "report-dashboard": Entry(lambda s: {"pk": s.upper.pk}),
    "document-job": Entry(lambda s: {"pk": s.document_job.pk}),
    "document-download": Entry(lambda s: {"pk": s.document_job.pk}),
    "document-restart": Entry(lambda s: {"pk": s.document_job.pk}, (POST,), _w(Perm.VIEW)),
    "training": Entry(
        unit,
        (GET, POST),
        ROSTER,
        lambda s: {
            "name": "Lớp mới",
            "organiser": "Công an",
            "start_date": "01/06/2025",
            "end_date": "02/06/2025",
        },
    ),
    "training-course": Entry(lambda s: {"pk": s.course.pk}, (GET, POST), ROSTER),
    "team-equipment": Entry(lambda s: {"pk": s.team.pk}, (GET, POST), ROSTER),
    # --- insurance ----------------------------------------------------------------------------
    "insurance-lists": Entry(unit),
    "insurance-compute": Entry(
        unit,
        (POST,),
        _w(Perm.PREPARE_INSURANCE),
        lambda s: {"quarter": s.funding_list.quarter.isoformat()},
    ),
    "insurance-list": Entry(lambda s: {"pk": s.funding_list.pk}),
    "insurance-transition": Entry(
        lambda s: {"pk": s.funding_list.pk},
        (POST,),
        _w(Perm.PREPARE_INSURANCE, Perm.VERIFY_INSURANCE, Perm.APPROVE_FUNDING),
        lambda s: {"action": "submit", "seen_state": s.funding_list.state},
    ),
    "insurance-pdf": Entry(lambda s: {"pk": s.funding_list.pk}),
    "insurance-xlsx": Entry(lambda s: {"pk": s.funding_list.pk}),
    "insurance-queue": Entry(None),
    "insurance-enrolment": Entry(
        lambda s: {"pk": s.membership.person_id},
        (GET, POST),
        _w(Perm.PREPARE_INSURANCE),
        lambda s: {"vsi-income": "2000000", "vsi-start_date": "01/08/2024"},
    ),
    "incident-create": Entry(
        unit,
        (GET, POST),
        _w(Perm.PREPARE_INSURANCE),
        lambda s: {
            "membership": s.incident.membership_id,
            "kind": "sickness",
            "occurred_on": s.incident.occurred_on.strftime("%d/%m/%Y"),
            "description": "Ốm khi làm nhiệm vụ",
        },
    ),
    "insurance-incident": Entry(lambda s: {"pk": s.incident.pk}),
    "incident-edit": Entry(
        lambda s: {"pk": s.incident.pk},
        (GET, POST),
        _w(Perm.PREPARE_INSURANCE),
        lambda s: {
            "membership": s.incident.membership_id,
            "kind": "injury",
            "occurred_on": s.incident.occurred_on.strftime("%d/%m/%Y"),
            "description": "Sửa mô tả",
            "medical_costs": "9000000",
        },
    ),
    "incident-transition": Entry(
        lambda s: {"pk": s.incident.pk},
        (POST,),
        _w(Perm.PREPARE_INSURANCE, Perm.APPROVE_FUNDING),
        lambda s: {"action": "submit", "seen_state": s.incident.state},
    ),
    "incident-document-add": Entry(
        lambda s: {"pk": s.incident.pk},
        (POST,),
        _w(Perm.PREPARE_INSURANCE),
        lambda s: {"title": "Giấy tờ khác"},
    ),
    "incident-document": Entry(lambda s: {"pk": s.incident_document.pk}),
    "incident-pdf": Entry(lambda s: {"pk": s.incident.pk}),
    # --- mediation ----------------------------------------------------------------------------
    **{
        name: Entry(kwargs, methods, frozenset(write), data or (lambda side: {}))
        for name, kwargs, methods, write, data in (
            ("mediation-home", units, (GET,), (), None),
            (
                "mediation-team-create",
                unit,
                (GET, POST),
                (MED,),
                lambda s: {
                    "area": s.area.pk,
                    "name": "Tổ hòa giải mới",
                    "decision_number": "1/QĐ",
                    "decision_date": "01/08/2025",
                },
            ),
            ("mediation-payments", unit, (GET, POST), (MED,), lambda s: {"quarter": "01/04/2026"}),
            ("mediation-statistics", units, (GET,), (), None),
            (
                "mediation-report",
                report_units,
                (GET, POST),
                (MED, Perm.RECEIVE_MEDIATION_REPORTS),
                lambda s: {"action": "send", "summary": "Tốt"},
            ),
            ("mediation-report-pdf", report_units, (GET,), (), None),
            ("mediation-report-xlsx", report_units, (GET,), (), None),
            ("mediation-team", med("team"), (GET,), (), None),
            (
                "mediation-team-edit",
                med("team"),
                (GET, POST),
                (MED,),
                lambda s: {
                    "area": s.area.pk,
                    "name": "Tổ hòa giải đổi tên",
                    "decision_number": "2/QĐ",
                    "decision_date": "10/07/2025",
                },
            ),
            (
                "mediation-mediator-add",
                med("team"),
                (GET, POST),
                (MED,),
                lambda s: {"cccd": s.membership.person.cccd},
            ),
            (
                "mediation-election",
                med("team"),
                (POST,),
                (MED,),
                lambda s: {
                    "mediator": s.mediation.mediator.pk,
                    "held_on": "01/08/2025",
                    "votes": "3",
                },
            ),
            (
                "mediation-consolidation",
                med("team"),
                (POST,),
                (MED,),
                lambda s: {"year": "2026", "reviewed_on": "05/01/2026"},
            ),
            (
                "mediation-case-create",
                med("team"),
                (GET, POST),
                (MED,),
                lambda s: {
                    "received_on": "01/04/2026",
                    "origin": "request",
                    "case_type": "land",
                    "parties": "A – B",
                    "content": "Tranh chấp",
                    "outcome": "open",
                },
            ),
            ("mediation-book-pdf", med("team"), (GET,), (), None),
            ("mediation-book-xlsx", med("team"), (GET,), (), None),
            ("mediation-book-import", med("team"), (GET, POST), (MED,), None),
            ("mediation-mediator", med("mediator"), (GET,), (), None),
            (
                "mediation-mediator-end",
                med("mediator"),
                (GET, POST),
                (MED,),
                lambda s: {"ended_on": "01/06/2026", "end_reason": "Chuyển nơi cư trú"},
            ),
            (
                "mediation-accident-create",
                med("mediator"),
                (GET, POST),
                (MED,),
                lambda s: {"occurred_on": "01/04/2026", "kind": "injury", "description": "Ngã"},
            ),
            (
                "mediation-case",
                med("case"),
                (GET, POST),
                (MED,),
                lambda s: {
                    "received_on": "02/03/2026",
                    "origin": "request",
                    "case_type": "land",
                    "parties": "Đổi tên",
                    "content": "Tranh chấp",
                    "outcome": "open",
                },
            ),
            (
                "mediation-case-replace",
                med("case"),
                (POST,),
                (MED,),
                lambda s: {"mediator": s.mediation.mediator.pk, "reason": "Người thân"},
            ),
            (
                "mediation-payment",
                med("payment_list"),
                (GET, POST),
                (MED, Perm.APPROVE_MEDIATION_PAY),
                lambda s: {"action": "submit", "seen_state": "draft"},
            ),
            ("mediation-payment-pdf", med("payment_list"), (GET,), (), None),
            ("mediation-payment-xlsx", med("payment_list"), (GET,), (), None),
            (
                "mediation-accident",
                med("accident"),
                (GET, POST),
                (MED,),
                lambda s: {"title": "Giấy tờ"},
            ),
            ("mediation-accident-document", med("document"), (GET,), (), None),
            ("mediation-document-job", med("document_job"), (GET,), (), None),
            ("mediation-document-restart", med("document_job"), (POST,), (Perm.VIEW,), None),
            ("mediation-document-download", med("document_job"), (GET,), (), None),
        )
    },
    # --- safe_areas ("An toàn về an ninh, trật tự") ---------------------------------------------
    "safe-areas": Entry(unit),
    "safe-area-year": Entry(
        lambda s: {"pk": s.area.pk, "year": s.safe.year + 1},  # a year not registered yet
        (GET, POST),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {
            "resolution_number": "1-NQ/CB",
            "resolution_date": "05/01/2026",
            "registered_on": "10/01/2026",
            "households_registered": "1",
        },
    ),
    "safe-area-event": Entry(
        lambda s: {"pk": s.safe.area_year.pk},
        (POST,),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {"criterion": "KDC-3a", "occurred_on": "01/03/2025", "description": "x"},
    ),
    "safe-area-assess": Entry(
        lambda s: {"pk": s.safe.area_year.pk}, (POST,), _w(Perm.SAFE_AREAS_ENTER)
    ),
    "safe-area-transition": Entry(
        lambda s: {"pk": s.safe.area_year.pk},
        (POST,),
        _w(Perm.SAFE_AREAS_ENTER, Perm.SAFE_AREAS_DECIDE),
        lambda s: {"action": "return", "comment": "x"},
    ),
    "safe-area-certificate": Entry(lambda s: {"pk": s.safe.area_year.pk}),
    "safe-establishment-add": Entry(
        unit,
        (POST,),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {"name": "Cơ quan mới", "kind": "agency"},
    ),
    "safe-establishment": Entry(
        lambda s: {"pk": s.safe.establishment.pk},
        (GET, POST),
        _w(Perm.SAFE_AREAS_ENTER, Perm.SAFE_AREAS_DECIDE),
        lambda s: {"step": "edit", "name": "Đổi tên", "kind": "agency"},
    ),
    "safe-models": Entry(
        lambda s: {"pk": s.area.pk},
        (GET, POST),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {
            "name": "Mô hình mới",
            "field": "security",
            "started_on": "01/01/2025",
            "households_signed": "1",
            "status": "active",
        },
    ),
    "safe-model": Entry(
        lambda s: {"pk": s.safe.model.pk},
        (GET, POST),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {
            "step": "recognise",
            "recognition_number": "1",
            "recognition_date": "01/02/2025",
        },
    ),
    "safe-commune-year": Entry(
        lambda s: {"pk": s.commune.pk, "year": s.safe.year},
        (GET, POST),
        _w(Perm.SAFE_AREAS_ENTER),
        lambda s: {"step": "assess", "disciplined_officers": "0", "criteria_met": "1"},
    ),
    "safe-commune-transition": Entry(
        lambda s: {"pk": s.safe.commune_year.pk},
        (POST,),
        _w(Perm.SAFE_AREAS_DECIDE_COMMUNE),
        lambda s: {"action": "return", "comment": "x"},
    ),
    "safe-summary": Entry(units),
    "safe-summary-pdf": Entry(units),
    "safe-summary-xlsx": Entry(units),
    "safe-commune-report": Entry(unit),
    # --- carryover: the 2025 hand-over into the new communes ---------------------------------
    "carryover-commune": Entry(
        unit, (GET, POST), _w(Perm.CARRY_OVER), lambda s: {"action": "confirm"}
    ),
    "carryover-reopen": Entry(
        unit, (GET, POST), _w(Perm.CARRY_OVER), lambda s: {"reason": "Gộp nhầm khu dân cư"}
    ),
    "carryover-province": Entry(
        None, (GET, POST), _w(Perm.CARRY_OVER_PROVINCE), lambda s: {"province": s.upper.pk}
    ),
}
