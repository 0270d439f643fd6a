"""Demo reports: a year of monthly reports in old Phú Thọ and in new Cần Thơ, one late commune,
one lock exception, a district report, training courses and equipment held.

Reports are submitted on the days a commune would (the 8th to the 13th), by its own officer;
Phường Gia Cẩm sends March 2025 on the 17th (late); Thị trấn Hùng Sơn misses the May 2025 lock
and the provincial police reopen it for three days. In new Cần Thơ the current period is still
open and two communes have not sent the last one. New Xã Lâm Thao (Phú Thọ) reports from July
2025, the window that straddles the reorganisation, to the provincial police (congan_tinh).
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from teams.demo import demo_communes, removal, touched_communes
from teams.models import Assignment, Level, Membership, Role, Team, Tree, User
from teams.selectors import parameters_cache

from . import selectors, services
from .models import (
    MANUAL_FIELDS,
    DocumentJob,
    EquipmentHolding,
    LockException,
    Report,
    ReportAction,
    TrainingCourse,
)
from .periods import Period, PeriodKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
NARRATIVES = [
    "Các Tổ duy trì trực, tuần tra vào ban đêm và dịp cuối tuần; nắm tình hình, phản ánh kịp "
    "thời các vụ việc phát sinh. Đề nghị sớm cấp bổ sung công cụ hỗ trợ.",
    "Tình hình an ninh, trật tự trên địa bàn ổn định. Các Tổ phối hợp tốt với Công an xã trong "
    "tuyên truyền phòng, chống tội phạm và vi phạm pháp luật.",
    "Tham gia bảo đảm an ninh, trật tự các ngày lễ; hỗ trợ giải quyết vụ việc mâu thuẫn trong "
    "khu dân cư. Đề nghị tổ chức thêm lớp huấn luyện kỹ năng.",
]


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _monthly(first: str, last: str):
    period = Period.parse(first, selectors.reporting_rules())
    while period.key <= last:
        yield period
        period = period.next()


@transaction.atomic
def seed_reports(*, rng: random.Random) -> dict[str, int]:
    users = {
        a.unit_id: a.user
        for a in Assignment.objects.filter(role=Role.COMMUNE_OFFICER).select_related("user")
    }
    police = {
        u.username: u
        for u in User.objects.filter(username__in=["congan_tinh", "congan_huyen", "congan_ct"])
    }
    totals = {"reports": 0, "late": 0, "courses": 0}
    communes = demo_communes()
    _training_and_equipment(communes, users, rng, totals)
    # Each report's quota figures read the parameter table once, not once per report.
    with parameters_cache():
        _monthly_reports(communes, users, police, rng, totals)
    _district_and_province(police)
    return totals


def _monthly_reports(communes, users, police, rng, totals) -> None:
    """Each commune's reports, each step checked as the services check it
    (`report_update_check`, `report_step_check`) and its content computed as a submission
    freezes it (`selectors.live_contents`), then all written together: the reports, their
    history rows (those the services' saves write, in the same order) and their actions, in
    three INSERTs instead of some thirty queries per report."""
    reports: list[Report] = []
    history: list[tuple[Report, dict]] = []
    actions: list[ReportAction] = []

    def snapshot(report: Report, history_user=None, history_type="~") -> None:
        tracked = Report.history.model.tracked_fields
        fields = {f.attname: getattr(report, f.attname) for f in tracked}
        history.append(
            (
                report,
                fields
                | {
                    "history_date": timezone.now(),
                    "history_user": history_user,
                    "history_type": history_type,
                    "history_change_reason": None,
                },
            )
        )

    for commune in communes:
        # Each report's content is computed when it is sent; they are counted together once
        # the commune's year is walked (`selectors.commune_live_contents`), into the dictionary
        # each report holds from then on (its later history rows hold the same one).
        to_send: list[Report] = []
        legacy = commune.tree == Tree.LEGACY
        officer = users[commune.pk]
        last = "2025-06" if legacy else "2026-10"
        if not legacy and commune.code in ("31135", "31299"):
            last = "2026-09"  # these two have not sent October 2026 yet
        # A Phú Thọ commune formed from old ones with teams starts with the report whose window
        # straddles 01/07/2025 (15/06 – 14/07): it counts what its predecessors did before.
        first = "2024-08" if legacy else "2025-07" if commune.jurisdiction == "25" else "2025-08"
        for period in _monthly(first, last):
            report = Report(unit=commune, kind=PeriodKind.MONTHLY, period=period.key)
            reports.append(report)
            snapshot(report, history_type="+")  # created (`report_get`)
            day = period.last_on_time_day - datetime.timedelta(days=rng.randint(1, 6))
            if commune.code == "07900" and period.key == "2025-03":
                day = period.last_on_time_day + datetime.timedelta(days=3)  # late, still open
            if commune.code == "08498" and period.key == "2025-05":
                day = period.locks_on + datetime.timedelta(days=2)
                services.lock_exception_grant(
                    unit=commune,
                    kind=PeriodKind.MONTHLY,
                    period=period,
                    reason="Cán bộ phụ trách đi tập huấn, đề nghị gửi bổ sung",
                    until=day + datetime.timedelta(days=2),
                    actor=police["congan_tinh"],
                    today=day,
                )
            values = {
                name: rng.randint(*bounds)
                for name, bounds in zip(
                    MANUAL_FIELDS, [(0, 4), (6, 30), (0, 3), (0, 2), (0, 1)], strict=True
                )
            }
            values["narrative"] = rng.choice(NARRATIVES)
            # the typed numbers (`report_update_manual`)
            services.report_update_check(report=report, values=values, actor=officer, today=day)
            for name, value in values.items():
                setattr(report, name, value)
            report.version += 1
            snapshot(report, officer)
            # sent (`report_transition`): the state first, then the frozen content
            state = services.report_step_check(
                report=report, state=report.state, action="submit", actor=officer, today=day
            )
            to_send.append(report)
            actions.append(
                ReportAction(report=report, actor=officer, from_state=report.state, to_state=state)
            )
            report.state = state
            snapshot(report, officer)
            report.contents = {}  # counted below, once the commune's year is walked
            report.submitted_at, report.submitted_by = timezone.now(), officer
            report.late = period.is_late(day)
            snapshot(report, officer)
            report.submitted_at = actions[-1].at = _moment(day, rng.randint(8, 16))
            totals["reports"] += 1
            totals["late"] += report.late
            reviewer = (
                police["congan_huyen"]
                if legacy and commune.parent.code == "237" and period.key < "2025-03"
                else police["congan_tinh"]
                if legacy or commune.jurisdiction == "25"  # Phú Thọ's police, both trees
                else police["congan_ct"]
            )
            if period.key != last or legacy:
                state = services.report_step_check(
                    report=report, state=report.state, action="accept", actor=reviewer
                )
                actions.append(
                    ReportAction(
                        report=report,
                        actor=reviewer,
                        from_state=report.state,
                        to_state=state,
                        at=_moment(day + datetime.timedelta(days=2), rng.randint(8, 16)),
                    )
                )
                report.state = state
                snapshot(report, reviewer)
        contents = selectors.commune_live_contents(to_send)
        for report, frozen in zip(to_send, contents, strict=True):
            report.contents.update(frozen)
    Report.objects.bulk_create(reports)
    Report.history.model.objects.bulk_create(
        [Report.history.model(**(fields | {"id": report.pk})) for report, fields in history]
    )
    ReportAction.objects.bulk_create(actions)


def _district_and_province(police) -> None:
    """Lâm Thao's district report for the first months, and Phú Thọ's provincial one."""
    from teams.models import AdministrativeUnit

    lam_thao = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.DISTRICT, code="237")
    phu_tho = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.PROVINCE, code="25")
    for period in _monthly("2024-08", "2025-02"):
        day = period.last_on_time_day
        district = services.report_get(unit=lam_thao, kind=PeriodKind.MONTHLY, period=period)
        services.report_update_manual(
            report=district,
            values={
                "narrative": "Các xã gửi báo cáo đầy đủ; đề nghị tỉnh bổ sung kinh phí mua sắm công "
                "cụ hỗ trợ."
            },
            version=district.version,
            actor=police["congan_huyen"],
            today=day,
        )
        services.report_transition(
            report=district, action="submit", actor=police["congan_huyen"], today=day
        )
        services.report_transition(report=district, action="accept", actor=police["congan_tinh"])
        province = services.report_get(unit=phu_tho, kind=PeriodKind.MONTHLY, period=period)
        services.report_transition(
            report=province, action="submit", actor=police["congan_tinh"], today=day
        )


def _training_and_equipment(communes, users, rng, totals) -> None:
    for commune in communes:
        legacy = commune.tree == Tree.LEGACY
        start = D(2024, 8, 19) if legacy else D(2025, 8, 18)
        course = TrainingCourse.objects.create(
            commune=commune,
            name="Huấn luyện, bồi dưỡng nghiệp vụ đợt 1",
            organiser="Công an huyện"
            if legacy
            else "Công an tỉnh Phú Thọ"
            if commune.jurisdiction == "25"
            else "Công an thành phố Cần Thơ",
            start_date=start,
            end_date=start + datetime.timedelta(days=4),
            created_by=users[commune.pk],
        )
        eligible = list(selectors.course_eligible(course))
        outcomes = {
            m.pk: rng.choices(["passed", "failed", "absent"], [85, 5, 10])[0] for m in eligible
        }
        services.course_results_set(course=course, outcomes=outcomes, actor=users[commune.pk])
        totals["courses"] += 1
        # the commune's teams at once: their sizes in one query, their holdings in one write
        sizes = dict(
            Membership.objects.filter(team__commune=commune, end_date__isnull=True)
            .values_list("team_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        quantities = {}
        for team in Team.objects.filter(commune=commune):
            size = sizes.get(team.pk, 0)
            quantities[team] = {
                "rubber_baton": rng.randint(0, size),
                "metal_baton": rng.randint(0, 1),
                "flashlight": rng.randint(0, size),
                "whistle": size,
                "chair": rng.randint(2, 6),
                "desk": rng.randint(1, 3),
                "meeting_table": 1,
                "cabinet": rng.randint(0, 1),
            }
        services.equipment_set_teams(quantities=quantities, actor=users[commune.pk])


@removal()
def remove_reports() -> None:
    from teams.models import AdministrativeUnit

    communes = touched_communes()
    units = (
        set(communes)
        | {c.parent for c in communes if c.parent}
        | {
            AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.PROVINCE, code="25"),
            AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="92"),
        }
    )
    ids = list(Report.objects.filter(unit__in=units).values_list("pk", flat=True))
    Report.objects.filter(pk__in=ids).delete()
    Report.history.filter(id__in=ids).delete()
    LockException.objects.filter(unit__in=units).delete()
    DocumentJob.objects.filter(unit__in=units).delete()
    TrainingCourse.objects.filter(commune__in=communes).delete()
    holdings = EquipmentHolding.objects.filter(team__commune__in=communes)
    holding_ids = list(holdings.values_list("pk", flat=True))
    holdings.delete()
    EquipmentHolding.history.filter(id__in=holding_ids).delete()
