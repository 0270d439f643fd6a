"""What a report says, computed from the data for the period's window (no retyping).

A commune's content is a flat dictionary of numbers (nested only for equipment), so that a
district's or province's content is the plain sum of the frozen contents below it: totals at
every level equal the sum of the level below by construction. `FIELDS` names every number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allowances.models import SETTLED_STATES, AllowanceLine, LineKind
from insurance.selectors import insurance_numbers, insurance_report_snapshots
from rules.base import TeamRole
from rules.equipment import ITEMS, team_needs
from rules.models import database_parameters
from rules.snapshots import unverified_marks
from teams import selectors as team_selectors
from teams.models import AdministrativeUnit, EndGround, Membership, Team, TeamStatus, UnitSuccession

from .models import MANUAL_FIELDS, EquipmentHolding, Report, TrainingResult
from .periods import Period, PeriodKind


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    section: str
    money: bool = False


SECTIONS = {
    "organisation": _("Tổ chức, lực lượng"),
    "changes": _("Biến động thành viên"),
    "training": _("Huấn luyện, bồi dưỡng"),
    "allowances": _("Chế độ hỗ trợ, bồi dưỡng đã chi (kỳ chi trả được duyệt trong kỳ báo cáo)"),
    "insurance": _("BHXH tự nguyện, BHYT (danh sách quý đã duyệt) và hỗ trợ khi gặp rủi ro"),
    "activity": _("Kết quả hoạt động"),
}
# The rows counting each role say the role's name, but are counts ("Tổ phó": how many deputies):
# a context of their own, so a translation can differ from the role's name (teams.models).
FIELDS = [
    Field("teams", _("Số Tổ bảo vệ ANTT"), "organisation"),
    Field("members", _("Tổng số thành viên"), "organisation"),
    Field("to_truong", pgettext_lazy("report row", "Tổ trưởng"), "organisation"),
    Field("to_pho", pgettext_lazy("report row", "Tổ phó"), "organisation"),
    Field("to_vien", pgettext_lazy("report row", "Tổ viên"), "organisation"),
    Field("quota", _("Số thành viên theo định mức"), "organisation"),
    Field("quota_unknown", _("Số Tổ chưa xác định được định mức"), "organisation"),
    Field("joiners", _("Số người được công nhận mới"), "changes"),
    Field("leavers", _("Số người thôi tham gia"), "changes"),
    Field("leavers_a", _("— tự nguyện xin thôi (Điều 17 khoản 3 điểm a)"), "changes"),
    Field("leavers_b", _("— không còn đủ sức khỏe (điểm b)"), "changes"),
    Field("leavers_c", _("— từ chối nhiệm vụ, lợi dụng vị trí (điểm c)"), "changes"),
    Field("leavers_d", _("— bị khởi tố, xử lý (điểm d)"), "changes"),
    Field("trained", _("Số lượt thành viên được huấn luyện đạt yêu cầu trong kỳ"), "training"),
    Field("allowance_people", _("Số người được chi trả"), "allowances"),
    Field("allowance_monthly", _("Hỗ trợ hằng tháng"), "allowances", money=True),
    Field("allowance_duty", _("Bồi dưỡng làm nhiệm vụ"), "allowances", money=True),
    Field("allowance_arrears", _("Truy lĩnh (+) / thu hồi (−)"), "allowances", money=True),
    Field("allowance_total", _("Tổng số đã chi"), "allowances", money=True),
    Field("vsi_participants", _("Số người tham gia BHXH tự nguyện được hỗ trợ"), "insurance"),
    Field("hi_participants", _("Số người tham gia BHYT được hỗ trợ"), "insurance"),
    Field("insurance_state_support", _("Ngân sách nhà nước hỗ trợ"), "insurance", money=True),
    Field("insurance_province_support", _("Ngân sách tỉnh hỗ trợ thêm"), "insurance", money=True),
    Field(
        "insurance_support_total",
        _("Tổng kinh phí hỗ trợ đóng BHXH, BHYT"),
        "insurance",
        money=True,
    ),
    Field("insurance_member_pays", _("Phần thành viên tự đóng"), "insurance", money=True),
    Field("incidents", _("Số trường hợp được hỗ trợ khi ốm đau, tai nạn, hy sinh"), "insurance"),
    Field("incident_amount", _("Kinh phí hỗ trợ khi gặp rủi ro"), "insurance", money=True),
    Field("reports_passed_on", _("Tin báo, tố giác đã chuyển cơ quan chức năng"), "activity"),
    Field("patrols", _("Lượt tuần tra, canh gác"), "activity"),
    Field("violations_found", _("Vụ việc vi phạm phát hiện"), "activity"),
    Field("weapons_recovered", _("Vũ khí, vật liệu nổ, công cụ hỗ trợ thu hồi"), "activity"),
    Field("fire_rescue", _("Lần tham gia chữa cháy, cứu nạn, cứu hộ"), "activity"),
]
ANNUAL_FIELDS = [
    Field("active_members", _("Thành viên đang tham gia cuối kỳ"), "training"),
    Field("trained_ever", _("— trong đó đã được huấn luyện đạt yêu cầu"), "training"),
]


def add(total: dict, other: dict) -> dict:
    """Sum two contents key by key (nested dictionaries too)."""
    out = dict(total)
    for key, value in other.items():
        if isinstance(value, dict):
            out[key] = add(out.get(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = out.get(key, 0) + value
    return out


def commune_contents(
    *, commune: AdministrativeUnit, period: Period, report: Report | None = None
) -> dict:
    """The numbers of one commune for `period`, from the data (and the report's typed ones)."""
    start, end = period.window_start, period.window_end
    c: dict = {"units": 1}
    teams = list(
        Team.objects.filter(commune=commune, decision_date__lte=end)
        .filter(Q(status=TeamStatus.ACTIVE) | Q(dissolved_on__gt=end))
        .prefetch_related("areas")
    )
    c["teams"] = len(teams)
    serving = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end))
    active = Membership.objects.filter(serving, team__commune=commune)
    in_window = Membership.objects.filter(
        Q(team__commune=commune) | Q(pk__in=predecessor_memberships(commune, start))
    )
    # The commune's members by role at the window's end, the joiners and the leavers by ground,
    # in one query (each report sent, and each view of a draft, computes them). The four
    # grounds are endings of service (`EndGround.not_leaving` are not).
    here = serving & Q(team__commune=commune)
    leaving = Q(end_date__gte=start, end_date__lte=end) & ~Q(end_ground__in=EndGround.not_leaving())
    counts = in_window.aggregate(
        members=Count("pk", filter=here),
        **{role.value: Count("pk", filter=here & Q(role=role.value)) for role in TeamRole},
        joiners=Count(
            "pk",
            filter=Q(start_date__gte=start, start_date__lte=end, transferred_from__isnull=True),
        ),
        **{f"leavers_{g}": Count("pk", filter=leaving & Q(end_ground=g)) for g in "abcd"},
    )
    for role in TeamRole:
        c[role.value] = counts[role.value]
    c["members"] = counts["members"]
    # (read once per block of bulk work, such as the demo's year of reports: `parameters_cache`)
    params = (
        team_selectors.quota_parameters([commune.jurisdiction]) if commune.jurisdiction else None
    )
    c["quota"] = c["quota_unknown"] = 0
    for team in teams:
        outcome = team_selectors.quota_for_areas(
            commune=commune, areas=list(team.areas.all()), on=end, params=params
        )
        if outcome.members is None:
            c["quota_unknown"] += 1
        else:
            c["quota"] += outcome.members

    c["joiners"] = counts["joiners"]
    for ground in ("a", "b", "c", "d"):
        c[f"leavers_{ground}"] = counts[f"leavers_{ground}"]
    c["leavers"] = sum(c[f"leavers_{g}"] for g in "abcd")

    passed = TrainingResult.objects.filter(
        Q(membership__team__commune=commune)
        | Q(membership__in=predecessor_memberships(commune, start)),
        outcome=TrainingResult.Outcome.PASSED,
        course__end_date__gte=start,
        course__end_date__lte=end,
    )
    c["trained"] = passed.count()

    c.update(allowance_numbers(commune, start, end))
    c.update(insurance_report_numbers(commune, start, end))
    c.update(unverified_numbers(commune, start, end))
    for name in MANUAL_FIELDS:
        c[name] = getattr(report, name, 0) if report else 0

    if period.kind == PeriodKind.ANNUAL:
        active_ids = set(active.values_list("pk", flat=True))
        c["active_members"] = len(active_ids)
        c["trained_ever"] = len(
            set(
                TrainingResult.objects.filter(
                    membership_id__in=active_ids,
                    outcome=TrainingResult.Outcome.PASSED,
                    course__end_date__lte=end,
                ).values_list("membership_id", flat=True)
            )
        )
        c["equipment"] = equipment_numbers(teams, active, end, commune.jurisdiction)
    return c


def predecessor_memberships(commune: AdministrativeUnit, start: datetime.date):
    """For a report window that starts before a new commune existed (15/06 – 14/07/2025): the
    memberships of its predecessors, whose joiners, leavers and training in the window's first
    part the new commune reports. All of a predecessor that became part of it as a whole; of a
    split one, those of the teams it took over (`Team.came_from`)."""
    if commune.valid_from is None or start >= commune.valid_from:
        return Membership.objects.none().values("pk")
    links = list(
        UnitSuccession.objects.filter(successor=commune).values_list("predecessor_id", "partly")
    )
    whole = [pk for pk, partly in links if not partly]
    split = [pk for pk, partly in links if partly]
    return Membership.objects.filter(
        Q(team__commune_id__in=whole)
        | Q(team__commune_id__in=split, team__went_to__commune=commune)
    ).values("pk")


def insurance_report_numbers(commune, start: datetime.date, end: datetime.date) -> dict:
    """Insurance support of approved quarterly lists for the months in the window, and incident
    support approved in the window (insurance.selectors.insurance_numbers)."""
    n = insurance_numbers(
        communes_qs_or_ids=[commune.pk],
        start=start,
        end=end,
        memberships=predecessor_memberships(commune, start),
    )
    return {
        "vsi_participants": n["vsi_participants"],
        "hi_participants": n["hi_participants"],
        "insurance_state_support": n["state_support"],
        "insurance_province_support": n["province_support"],
        "insurance_support_total": n["state_support"] + n["province_support"],
        "insurance_member_pays": n["member_pays"],
        "incidents": n["incidents"],
        "incident_amount": n["incident_amount"],
    }


ALLOWANCE_FIELD = {
    LineKind.MONTHLY: "allowance_monthly",
    LineKind.DUTY: "allowance_duty",
    LineKind.ARREARS: "allowance_arrears",
}
INSURANCE_FIELDS = (
    "insurance_state_support",
    "insurance_province_support",
    "insurance_support_total",
    "insurance_member_pays",
)


def unverified_numbers(commune, start: datetime.date, end: datetime.date) -> dict:
    """Which amounts of the report were computed with a value not from the legal text (press,
    default, demo), and those values: the report marks them (*) and lists them, as the payment
    and insurance lists do (`rules.snapshots.unverified_marks`). A total is marked when a part
    is; an insurance line's value may touch any of its amounts, so all four are marked."""
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, snapshot_id in (
        _approved_lines(commune, start, end)
        .filter(snapshot__isnull=False)
        .values_list("kind", "snapshot_id")
        .distinct()
    ):
        if kind in ALLOWANCE_FIELD:
            ids[ALLOWANCE_FIELD[kind]].add(snapshot_id)
    ids["allowance_total"] = set().union(*(ids[f] for f in ALLOWANCE_FIELD.values()))
    insurance = insurance_report_snapshots(
        communes_qs_or_ids=[commune.pk],
        start=start,
        end=end,
        memberships=predecessor_memberships(commune, start),
    )
    for name in INSURANCE_FIELDS:
        ids[name] = insurance["support"]
    ids["incident_amount"] = insurance["incident"]
    return unverified_marks(ids)


def _approved_lines(commune, start: datetime.date, end: datetime.date):
    """The lines of the runs approved during the window (whatever their month). A window that
    began before the commune existed (15/06 – 14/07/2025, the year 2025) also holds what its
    predecessors' runs approved in it paid the members it took over: the old communes report
    no period that ends after 30/06/2025, so their June run, approved in July, is counted
    here or nowhere."""
    return AllowanceLine.objects.filter(
        Q(run__commune=commune) | Q(membership__in=predecessor_memberships(commune, start)),
        run__state__in=SETTLED_STATES,
        run__approved_at__date__gte=start,
        run__approved_at__date__lte=end,
    )


def allowance_numbers(commune, start: datetime.date, end: datetime.date) -> dict:
    """What approved runs paid: the runs approved during the window (whatever their month)."""
    # (one query: a line always has its membership, so the distinct count is the people paid)
    sums = _approved_lines(commune, start, end).aggregate(
        people=Count("membership_id", distinct=True),
        **{field: Sum("amount", filter=Q(kind=kind)) for kind, field in ALLOWANCE_FIELD.items()},
    )
    numbers = {"allowance_people": sums["people"]} | {
        field: sums[field] or 0 for field in ALLOWANCE_FIELD.values()
    }
    numbers["allowance_total"] = sum(
        numbers[k] for k in ("allowance_monthly", "allowance_duty", "allowance_arrears")
    )
    return numbers


def equipment_numbers(
    teams: list[Team], active, end: datetime.date, jurisdiction: str = ""
) -> dict:
    """Per item, summed over the teams: required (Circular 14, Decree 40, and the items of the
    commune's provincial resolution), held, need (the shortfalls of the teams that lack the
    item) and surplus (what the other teams hold beyond their own need), so that
    required − held = need − surplus holds on every line."""
    sizes = dict(active.values_list("team_id").annotate(n=Count("pk")).order_by())
    held: dict[int, dict[str, int]] = defaultdict(dict)
    for team_id, item, quantity in EquipmentHolding.objects.filter(team__in=teams).values_list(
        "team_id", "item", "quantity"
    ):
        held[team_id][item] = quantity
    params = database_parameters([])
    totals: dict[str, dict[str, int]] = {}
    for team in teams:
        for need in team_needs(
            members=sizes.get(team.pk, 0),
            held=held[team.pk],
            params=params,
            on=end,
            jurisdiction=jurisdiction,
        ):
            line = totals.setdefault(need.item, {"required": 0, "held": 0, "need": 0, "surplus": 0})
            line["required"] += need.required
            line["held"] += need.held
            line["need"] += need.need
            line["surplus"] += need.surplus
    return {item: totals[item] for item in ITEMS if item in totals}
