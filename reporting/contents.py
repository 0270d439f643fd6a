"""What a report says, computed from the data for the period's window (no retyping).

A commune's content is a flat dictionary of numbers (nested only for equipment), so that a
district's or province's content is the plain sum of the frozen contents below it: totals at
every level equal the sum of the level below by construction. `FIELDS` names every number.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allowances.models import SETTLED_STATES, AllowanceLine, LineKind
from insurance.selectors import ReportRows, ReportWindow, report_rows
from rules.base import TeamRole
from rules.equipment import ITEMS, team_needs
from rules.models import RuleSnapshot, database_parameters
from rules.snapshots import unverified_marks, unverified_snapshots
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
    return commune_contents_many(commune=commune, periods=[(period, report)])[0]


def commune_contents_many(
    *, commune: AdministrativeUnit, periods: Sequence[tuple[Period, Report | None]]
) -> list[dict]:
    """The numbers of one commune for each of `periods` (with its report, or None), in order.
    The rows they count are read once for all the windows (`CommuneRows.read`, nine queries)
    and counted per window in Python, so that a year of reports (the demo's) costs about what
    one does; a single report is its one-period case, counted the same way."""
    rows = CommuneRows.read(commune, [period for period, _report in periods])
    return [rows.contents(period, report) for period, report in periods]


class Trained(NamedTuple):
    """A passed training result."""

    commune: int  # of the member's team
    membership_id: int
    ended: datetime.date  # the course's end


class Line(NamedTuple):
    """A line of an approved allowance run."""

    commune: int  # the run's
    approved_on: datetime.date  # the run's approval, in the current time zone (`__date`)
    membership_id: int
    kind: str
    amount: int
    snapshot_id: int | None


@dataclass
class CommuneRows:
    """What a commune's reports over some windows count, read once (`read`) and counted per
    window (`contents`). A window that began before the commune existed also counts what its
    predecessors' members did in it (`predecessor_memberships`): the rows read are the
    commune's own and, when some window began before it existed, those; a later window counts
    the commune's own only."""

    commune: AdministrativeUnit
    teams: list[Team]  # those formed by the last window's end, with their areas
    memberships: list  # (team__commune_id, pk, team_id, role, dates, end_ground, transferred_from)
    trained: list[Trained]
    # those of the runs approved within the windows, in the lines' own order (the order in
    # which `unverified_numbers` meets their kinds)
    lines: list[Line]
    insurance: ReportRows
    snapshots: dict[int, RuleSnapshot]  # those behind the allowance and insurance rows

    @classmethod
    def read(cls, commune: AdministrativeUnit, periods: Sequence[Period]) -> CommuneRows:
        first = min(p.window_start for p in periods)
        last = max(p.window_end for p in periods)
        predecessors = (
            predecessor_memberships(commune, first) if _began_before(commune, first) else None
        )

        def own_or_predecessors(own: Q, theirs: str) -> Q:
            return own | Q(**{theirs: predecessors}) if predecessors is not None else own

        teams = list(
            Team.objects.filter(commune=commune, decision_date__lte=last).prefetch_related("areas")
        )
        memberships: list[Any] = list(
            Membership.objects.filter(
                own_or_predecessors(Q(team__commune=commune), "pk__in")
            ).values_list(
                "team__commune_id",
                "pk",
                "team_id",
                "role",
                "start_date",
                "end_date",
                "end_ground",
                "transferred_from",
                named=True,
            )
        )
        trained = [
            Trained(*row)
            for row in TrainingResult.objects.filter(
                own_or_predecessors(Q(membership__team__commune=commune), "membership__in"),
                outcome=TrainingResult.Outcome.PASSED,
            )
            .values_list("membership__team__commune_id", "membership_id", "course__end_date")
            .order_by()
        ]
        lines = [
            Line(run_commune, timezone.localdate(approved_at), membership, kind, amount, snapshot)
            for run_commune, approved_at, membership, kind, amount, snapshot in AllowanceLine.objects.filter(
                own_or_predecessors(Q(run__commune=commune), "membership__in"),
                run__state__in=SETTLED_STATES,
                run__approved_at__date__gte=first,
                run__approved_at__date__lte=last,
            ).values_list(
                "run__commune_id",
                "run__approved_at",
                "membership_id",
                "kind",
                "amount",
                "snapshot_id",
            )
        ]
        insurance = report_rows(
            communes_qs_or_ids=[commune.pk], start=first, end=last, memberships=predecessors
        )
        ids = {line.snapshot_id for line in lines} | insurance.snapshot_ids()
        return cls(
            commune,
            teams,
            memberships,
            trained,
            lines,
            insurance,
            unverified_snapshots(pk for pk in ids if pk is not None),
        )

    def contents(self, period: Period, report: Report | None) -> dict:
        commune = self.commune
        start, end = period.window_start, period.window_end
        before = _began_before(commune, start)

        def counted(row_commune: int) -> bool:
            return before or row_commune == commune.pk

        c: dict = {"units": 1}
        teams = [
            t
            for t in self.teams
            if t.decision_date <= end
            and (
                t.status == TeamStatus.ACTIVE
                or (t.dissolved_on is not None and t.dissolved_on > end)
            )
        ]
        c["teams"] = len(teams)
        # The commune's members by role at the window's end (`here`), the joiners and the
        # leavers by ground. The four grounds are endings of service (`EndGround.not_leaving`
        # are not).
        in_window = [m for m in self.memberships if counted(m.team__commune_id)]
        here = [
            m
            for m in self.memberships
            if m.team__commune_id == commune.pk
            and m.start_date <= end
            and (m.end_date is None or m.end_date >= end)
        ]
        for role in TeamRole:
            c[role.value] = sum(1 for m in here if m.role == role.value)
        c["members"] = len(here)
        # (read once per block of bulk work, such as the demo's year of reports: `parameters_cache`)
        params = (
            team_selectors.quota_parameters([commune.jurisdiction])
            if commune.jurisdiction
            else None
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

        c["joiners"] = sum(
            1 for m in in_window if start <= m.start_date <= end and m.transferred_from is None
        )
        leaving = [
            m.end_ground
            for m in in_window
            if m.end_date is not None
            and start <= m.end_date <= end
            and m.end_ground not in EndGround.not_leaving()
        ]
        for ground in ("a", "b", "c", "d"):
            c[f"leavers_{ground}"] = leaving.count(ground)
        c["leavers"] = sum(c[f"leavers_{g}"] for g in "abcd")

        c["trained"] = sum(
            1 for t in self.trained if counted(t.commune) and start <= t.ended <= end
        )

        lines = [
            line
            for line in self.lines
            if counted(line.commune) and start <= line.approved_on <= end
        ]
        window = ReportWindow(start, end, memberships=before)
        c.update(allowance_numbers(lines))
        c.update(insurance_report_numbers(self.insurance.numbers(window)))
        c.update(unverified_numbers(lines, self.insurance.snapshots(window), self.snapshots))
        for name in MANUAL_FIELDS:
            c[name] = getattr(report, name, 0) if report else 0

        if period.kind == PeriodKind.ANNUAL:
            active_ids = {m.pk for m in here}
            c["active_members"] = len(active_ids)
            c["trained_ever"] = len(
                {
                    t.membership_id
                    for t in self.trained
                    if t.membership_id in active_ids and t.ended <= end
                }
            )
            sizes = Counter(m.team_id for m in here)
            c["equipment"] = equipment_numbers(teams, sizes, end, commune.jurisdiction)
        return c


def _began_before(commune: AdministrativeUnit, start: datetime.date) -> bool:
    """Whether a window starting on `start` began before the commune existed."""
    return commune.valid_from is not None and start < commune.valid_from


def predecessor_memberships(commune: AdministrativeUnit, start: datetime.date):
    """For a report window that starts before a new commune existed (15/06 – 14/07/2025): the
    memberships of its predecessors, whose joiners, leavers and training in the window's first
    part the new commune reports. All of a predecessor that became part of it as a whole; of a
    split one, those of the teams it took over (`Team.came_from`)."""
    if not _began_before(commune, start):
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


def insurance_report_numbers(n: dict[str, int]) -> dict:
    """Insurance support of approved quarterly lists for the months in the window, and incident
    support approved in the window (insurance.selectors.insurance_numbers), under the report's
    names."""
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


def unverified_numbers(lines, insurance: dict[str, set[int]], snapshots) -> dict:
    """Which amounts of the report were computed with a value not from the legal text (press,
    default, demo), and those values: the report marks them (*) and lists them, as the payment
    and insurance lists do (`rules.snapshots.unverified_marks`). A total is marked when a part
    is; an insurance line's value may touch any of its amounts, so all four are marked.
    `lines`: the window's allowance lines (`CommuneRows.lines`); `insurance`: the snapshots of
    its insurance rows (`ReportRows.snapshots`)."""
    ids: dict[str, set[int]] = defaultdict(set)
    for line in lines:
        if line.snapshot_id is not None and line.kind in ALLOWANCE_FIELD:
            ids[ALLOWANCE_FIELD[line.kind]].add(line.snapshot_id)
    ids["allowance_total"] = set().union(*(ids[f] for f in ALLOWANCE_FIELD.values()))
    for name in INSURANCE_FIELDS:
        ids[name] = insurance["support"]
    ids["incident_amount"] = insurance["incident"]
    return unverified_marks(ids, snapshots)


def allowance_numbers(lines) -> dict:
    """What approved runs paid: the lines of the runs approved during the window (whatever
    their month; `CommuneRows.lines`). A window that began before the commune existed
    (15/06 – 14/07/2025, the year 2025) also holds what its predecessors' runs approved in it
    paid the members it took over: the old communes report no period that ends after
    30/06/2025, so their June run, approved in July, is counted here or nowhere."""
    sums = dict.fromkeys(ALLOWANCE_FIELD.values(), 0)
    for line in lines:
        if line.kind in ALLOWANCE_FIELD:
            sums[ALLOWANCE_FIELD[line.kind]] += line.amount
    # (a line always has its membership, so the distinct count is the people paid)
    numbers = {"allowance_people": len({line.membership_id for line in lines})} | sums
    numbers["allowance_total"] = sum(
        numbers[k] for k in ("allowance_monthly", "allowance_duty", "allowance_arrears")
    )
    return numbers


def equipment_numbers(
    teams: list[Team], sizes: Mapping[int, int], end: datetime.date, jurisdiction: str = ""
) -> dict:
    """Per item, summed over the teams: required (Circular 14, Decree 40, and the items of the
    commune's provincial resolution), held, need (the shortfalls of the teams that lack the
    item) and surplus (what the other teams hold beyond their own need), so that
    required − held = need − surplus holds on every line. `sizes`: each team's active members
    at `end`."""
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
