"""Reads for the carry-over: what the predecessors of a new commune held on 30/06/2025, the
default plan, and a plan checked against them (the preview). Nothing here writes.

Set-based: the sources of any number of new communes are read in a fixed number of queries
(`sources_for`), so a province (or the country) costs the same handful of queries as a commune.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.formatting import format_date
from insurance.models import HiEnrolment, VsiEnrolment
from rules.base import TeamRole
from rules.names import jurisdiction_name
from teams import selectors as team_selectors
from teams.models import (
    AdministrativeUnit,
    AreaKind,
    EndGround,
    Membership,
    ResidentialArea,
    Team,
    TeamStatus,
    Tree,
    UnitSuccession,
    role_label,
)
from teams.selectors import QuotaOutcome
from teams.validation import Problems, over_quota_merge_message

from .models import CarryOver, CarryOverState
from .plan import AreaPlan, Plan, TeamPlan

#: The last day of the old communes and the first of the new ones (Resolution 202/2025/QH15).
OLD_LAST_DAY = datetime.date(2025, 6, 30)
NEW_FIRST_DAY = datetime.date(2025, 7, 1)

PREFIXES = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def short_name(name: str) -> str:
    """ "Xã Tiên Kiên" → "Tiên Kiên" (to tell apart areas of the same name)."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class OldMember:
    id: int
    person_id: int
    name: str
    cccd: str
    role: str
    team_id: int
    start_date: datetime.date
    version: int
    vsi: bool = False
    hi: bool = False

    @property
    def role_label(self) -> str:
        return role_label(self.role)


@dataclass
class OldTeam:
    id: int
    name: str
    commune_id: int
    decision_number: str
    decision_date: datetime.date
    area_ids: list[int] = field(default_factory=list)
    members: list[OldMember] = field(default_factory=list)


@dataclass
class OldArea:
    id: int
    name: str
    kind: str
    households: int
    residents: int | None
    village_type: int | None
    commune_id: int
    version: int
    team_ids: list[int] = field(default_factory=list)
    # The new commune that already received this area (a split predecessor's other successor).
    carried_to: str = ""


@dataclass
class Source:
    """One predecessor of the new commune, as it stood on 30/06/2025."""

    unit: AdministrativeUnit
    partly: bool
    areas: list[OldArea] = field(default_factory=list)
    teams: list[OldTeam] = field(default_factory=list)
    # Members still serving on 30/06/2025 whose membership has not been carried anywhere yet.
    already_carried: int = 0

    @property
    def members(self) -> list[OldMember]:
        return [m for t in self.teams for m in t.members]


def carry_over_of(commune: AdministrativeUnit) -> CarryOver | None:
    return CarryOver.objects.filter(commune=commune).first()


def new_communes(*, province: AdministrativeUnit):
    """The new-tree communes of a province that were formed from old communes."""
    return (
        AdministrativeUnit.objects.communes()
        .filter(tree=Tree.CURRENT)
        .within(province)
        .filter(succession_as_successor__isnull=False)
        .distinct()
        .order_by("path")
    )


def sources_for(communes: list[AdministrativeUnit]) -> dict[int, list[Source]]:
    """The predecessors of each new commune with their areas, teams and serving members on
    30/06/2025: nine queries, whatever the number of communes."""
    links = list(
        UnitSuccession.objects.filter(successor__in=communes)
        .select_related("predecessor")
        .order_by("predecessor__path")
    )
    olds = {link.predecessor_id: link.predecessor for link in links}
    areas = _old_areas(olds)
    # Subqueries rather than lists of ids: a province's ids would exceed SQLite's limit of
    # 32,766 parameters per statement.
    old_teams = Team.objects.filter(commune_id__in=olds).filter(
        Q(status=TeamStatus.ACTIVE) | Q(dissolved_on__gt=OLD_LAST_DAY)
    )
    teams = _old_teams(old_teams, areas)
    _add_serving_members(old_teams, teams)
    carried = dict(
        Membership.objects.filter(team__commune_id__in=olds, end_ground=EndGround.REORGANISATION)
        .values("team__commune_id")
        .annotate(n=Count("pk"))
        .values_list("team__commune_id", "n")
    )
    by_unit: dict[int, list[OldArea]] = defaultdict(list)
    for area in sorted(areas.values(), key=lambda a: (a.commune_id, a.name)):
        by_unit[area.commune_id].append(area)
    teams_by_unit: dict[int, list[OldTeam]] = defaultdict(list)
    for team in sorted(teams.values(), key=lambda t: (t.commune_id, t.name)):
        teams_by_unit[team.commune_id].append(team)
    out: dict[int, list[Source]] = {c.pk: [] for c in communes}
    for link in links:
        out[link.successor_id].append(
            Source(
                olds[link.predecessor_id],
                link.partly,
                by_unit.get(link.predecessor_id, []),
                teams_by_unit.get(link.predecessor_id, []),
                carried.get(link.predecessor_id, 0),
            )
        )
    return out


def _old_areas(olds: dict[int, AdministrativeUnit]) -> dict[int, OldArea]:
    """The areas of the old communes, each with the new commune that already received it (two
    queries)."""
    areas: dict[int, OldArea] = {}
    for row in ResidentialArea.objects.filter(commune_id__in=olds).values(
        "pk", "name", "kind", "households", "residents", "village_type", "commune_id", "version"
    ):
        areas[row["pk"]] = OldArea(
            row["pk"],
            row["name"],
            row["kind"],
            row["households"],
            row["residents"],
            row["village_type"],
            row["commune_id"],
            row["version"],
        )
    for old_id, commune_name in ResidentialArea.came_from.through.objects.filter(
        to_residentialarea__commune_id__in=olds
    ).values_list("to_residentialarea_id", "from_residentialarea__commune__name"):
        areas[old_id].carried_to = commune_name
    return areas


def _old_teams(old_teams: QuerySet[Team], areas: dict[int, OldArea]) -> dict[int, OldTeam]:
    """The teams still in being on the last day, linked both ways to their areas (two
    queries)."""
    teams: dict[int, OldTeam] = {}
    for trow in old_teams.values("pk", "name", "commune_id", "decision_number", "decision_date"):
        teams[trow["pk"]] = OldTeam(
            trow["pk"],
            trow["name"],
            trow["commune_id"],
            trow["decision_number"],
            trow["decision_date"],
        )
    for team_id, area_id in Team.areas.through.objects.filter(
        team_id__in=old_teams.values("pk")
    ).values_list("team_id", "residentialarea_id"):
        if area_id in areas:
            teams[team_id].area_ids.append(area_id)
            areas[area_id].team_ids.append(team_id)
    return teams


def _add_serving_members(old_teams: QuerySet[Team], teams: dict[int, OldTeam]) -> None:
    """Each team's members serving on the last day, with whether their voluntary social
    insurance and health insurance continue past it (three queries)."""
    on_the_last_day = Membership.objects.filter(
        team_id__in=old_teams.values("pk"), start_date__lte=OLD_LAST_DAY, end_date__isnull=True
    )
    serving = list(
        on_the_last_day.values(
            "pk",
            "person_id",
            "person__full_name",
            "person__cccd",
            "role",
            "team_id",
            "start_date",
            "version",
        ).order_by("team_id", "role", "person__search_name", "pk")
    )
    people = on_the_last_day.values("person_id")
    vsi = set(
        VsiEnrolment.objects.filter(person_id__in=people)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OLD_LAST_DAY))
        .values_list("person_id", flat=True)
    )
    hi = set(
        HiEnrolment.objects.filter(person_id__in=people)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OLD_LAST_DAY))
        .values_list("person_id", flat=True)
    )
    for mrow in serving:
        teams[mrow["team_id"]].members.append(
            OldMember(
                mrow["pk"],
                mrow["person_id"],
                mrow["person__full_name"],
                mrow["person__cccd"],
                mrow["role"],
                mrow["team_id"],
                mrow["start_date"],
                mrow["version"],
                mrow["person_id"] in vsi,
                mrow["person_id"] in hi,
            )
        )


@dataclass
class Known:
    """What checking a plan needs besides the sources, read for any number of new communes in
    four queries (`known_for`), so that a province's communes are checked without a query
    each."""

    carried: set[int]  # new communes already carried over
    area_names: dict[int, set[str]]  # each new commune's own areas, lower-cased
    team_names: dict[int, set[str]]  # each new commune's active teams, lower-cased
    # person id -> their other rows that serve after 30/06/2025 (or are still open), for
    # the people serving in the predecessors on 30/06/2025: nobody may serve twice.
    serving: dict[int, list[Membership]]


def known_for(communes: list[AdministrativeUnit], sources: dict[int, list[Source]]) -> Known:
    ids = [c.pk for c in communes]
    carried = set(
        CarryOver.objects.filter(commune_id__in=ids, state=CarryOverState.CONFIRMED).values_list(
            "commune_id", flat=True
        )
    )
    area_names: dict[int, set[str]] = defaultdict(set)
    for commune_id, name in ResidentialArea.objects.filter(commune_id__in=ids).values_list(
        "commune_id", "name"
    ):
        area_names[commune_id].add(name.lower())
    team_names: dict[int, set[str]] = defaultdict(set)
    for commune_id, name in Team.objects.filter(
        commune_id__in=ids, status=TeamStatus.ACTIVE
    ).values_list("commune_id", "name"):
        team_names[commune_id].add(name.lower())
    olds = {s.unit.pk for group in sources.values() for s in group}
    on_the_last_day = Membership.objects.filter(
        team__commune_id__in=olds, start_date__lte=OLD_LAST_DAY, end_date__isnull=True
    )
    serving: dict[int, list[Membership]] = defaultdict(list)
    for row in (
        Membership.objects.filter(person_id__in=on_the_last_day.values("person_id"))
        .filter(Q(start_date__gte=NEW_FIRST_DAY) | Q(end_date__isnull=True))
        .exclude(pk__in=on_the_last_day.values("pk"))
        .select_related("team__commune")
        .order_by("pk")
    ):
        serving[row.person_id].append(row)
    return Known(carried, area_names, team_names, serving)


def sources_of(commune: AdministrativeUnit) -> list[Source]:
    return sources_for([commune])[commune.pk]


def fingerprint(sources: list[Source]) -> str:
    """A digest of the old rosters a plan was made on: areas (with their version), teams, and
    who serves where in which role. Any edit of the old roster after the preview changes it."""
    parts = []
    for s in sources:
        parts.append(f"u{s.unit.pk}:{int(s.partly)}:{s.already_carried}")
        parts += [f"a{a.id}:{a.version}:{a.carried_to}" for a in s.areas]
        for t in s.teams:
            parts.append(f"t{t.id}:{t.name}:{sorted(t.area_ids)}")
            parts += [f"m{m.id}:{m.version}:{m.role}:{m.person_id}" for m in t.members]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _unique(names: list[tuple[str, str]]) -> list[str]:
    """Each (name, old commune) → the name, or "name (old commune)" when it repeats."""
    counts: dict[str, int] = defaultdict(int)
    for name, _unit in names:
        counts[name.lower()] += 1
    return [f"{n} ({short_name(u)})" if counts[n.lower()] > 1 else n for n, u in names]


def default_plan(commune: AdministrativeUnit, sources: list[Source]) -> Plan:
    """Every old area kept as it is, every team kept; a name that two predecessors share gets
    the old commune's name added ("Khu 1 (Tiên Kiên)"). A split predecessor's areas are not
    picked: that is the officer's decision."""
    included = [s for s in sources if not s.partly]
    areas = [(a, s.unit.name) for s in included for a in s.areas if not a.carried_to]
    area_names = _unique([(a.name, u) for a, u in areas])
    teams = [(t, s.unit.name) for s in included for t in s.teams if t.area_ids]
    team_names = _unique([(t.name, u) for t, u in teams])
    return Plan(
        picked={},
        areas=[
            AreaPlan(name, [a.id], a.kind) for (a, _u), name in zip(areas, area_names, strict=True)
        ],
        teams=[TeamPlan(name, [t.id]) for (t, _u), name in zip(teams, team_names, strict=True)],
        jurisdiction="",
        fingerprint=fingerprint(sources),
    )


def jurisdictions_of(sources: list[Source]) -> list[str]:
    return sorted({s.unit.jurisdiction for s in sources if s.unit.jurisdiction})


def needs_jurisdiction(commune: AdministrativeUnit, sources: list[Source]) -> bool:
    """The predecessors come from more than one old province (Phường Long An: 80 + 82), or the
    commune's jurisdiction is unknown or flagged: the officer must say whose rules apply."""
    if commune.jurisdiction_confirmed and commune.jurisdiction:
        return False
    return (
        len(jurisdictions_of(sources)) > 1
        or not commune.jurisdiction
        or bool(commune.jurisdiction_note)
    )


def decisions_needed(commune: AdministrativeUnit, sources: list[Source]) -> list[str]:
    """Why the default plan cannot be applied to this commune without an officer."""
    reasons = []
    for s in sources:
        if s.partly and any(not a.carried_to for a in s.areas):
            reasons.append(
                _("%(old)s chỉ nhập một phần: cần chọn khu dân cư chuyển về.")
                % {"old": s.unit.label}
            )
    if needs_jurisdiction(commune, sources):
        reasons.append(
            _("Các đơn vị cũ thuộc nhiều tỉnh (%(codes)s): cần chọn quy định áp dụng.")
            % {"codes": ", ".join(jurisdictions_of(sources)) or "?"}
        )
    return reasons


# --- Checking a plan ------------------------------------------------------------------------


@dataclass
class NewArea:
    plan: AreaPlan
    kind: str
    households: int
    residents: int | None
    village_type: int | None
    sources: list[OldArea]

    def unsaved(self, commune: AdministrativeUnit) -> ResidentialArea:
        return ResidentialArea(
            commune=commune,
            name=self.plan.name,
            kind=self.kind,
            households=self.households,
            residents=self.residents,
            village_type=self.village_type,
        )


@dataclass
class Move:
    member: OldMember
    role: str


@dataclass
class NewTeam:
    plan: TeamPlan
    sources: list[OldTeam]
    areas: list[int]  # indexes into Resolved.areas
    moves: list[Move]
    decision_number: str
    decision_date: datetime.date
    quota: QuotaOutcome | None = None

    @property
    def size(self) -> int:
        return len(self.moves)

    @property
    def over_quota(self) -> bool:
        members = self.quota.members if self.quota else None
        return members is not None and self.size > members


@dataclass
class Resolved:
    commune: AdministrativeUnit
    plan: Plan
    sources: list[Source]
    areas: list[NewArea]
    teams: list[NewTeam]
    jurisdiction: str

    @property
    def moves(self) -> list[Move]:
        return [m for t in self.teams for m in t.moves]

    @property
    def enrolments(self) -> int:
        return sum(int(m.member.vsi) + int(m.member.hi) for m in self.moves)

    def counts(self) -> dict[str, int]:
        return {
            "areas": len(self.areas),
            "teams": len(self.teams),
            "memberships": len(self.moves),
            "enrolments": self.enrolments,
        }


def _label(area: OldArea, units: dict[int, AdministrativeUnit]) -> str:
    return f"{area.name} ({short_name(units[area.commune_id].name)})"


def resolve(
    commune: AdministrativeUnit,
    plan: Plan,
    sources: list[Source],
    *,
    check_fingerprint: bool = True,
    with_quota: bool = True,
    known: Known | None = None,
) -> Resolved:
    """The plan checked against the predecessors: every problem at once, as Vietnamese
    messages naming what to fix (ValidationError), or what the carry-over would create.
    `known`: what else it checks against, read for many communes at once (`known_for`);
    read for this commune alone when not given.

    The checks go in the order an officer fills the page: whether there is anything to carry
    over (and whether it is done already or the old rosters changed since the preview; each of
    these stops at once), which old areas come here, old areas to new areas, old teams to new teams, whose
    rules apply, and that nobody would serve twice."""
    problems = Problems()
    if commune.tree != Tree.CURRENT or not sources:
        problems.add(
            None,
            _("%(unit)s không hình thành từ đơn vị cũ nào: không có gì để chuyển giao.")
            % {"unit": commune.label},
        )
        problems.raise_if_any()
    if known is None:
        known = known_for([commune], {commune.pk: sources})
    _refuse_done_or_changed(commune, plan, sources, known, check_fingerprint, problems)
    units = {s.unit.pk: s.unit for s in sources}
    included = _included_areas(commune, plan, sources, units, problems)
    new_areas, target = _new_areas(
        plan, included, known.area_names.get(commune.pk, set()), units, problems
    )
    new_teams = _new_teams(
        plan, sources, included, target, new_areas, known.team_names.get(commune.pk, set()),
        units, problems,
    )  # fmt: skip
    jurisdiction = _jurisdiction(commune, plan, sources, problems)
    _refuse_people_serving_elsewhere(new_teams, known, problems)
    problems.raise_if_any()
    resolved = Resolved(commune, plan, sources, new_areas, new_teams, jurisdiction)
    if with_quota:
        quotas(resolved)
    return resolved


def _refuse_done_or_changed(
    commune: AdministrativeUnit,
    plan: Plan,
    sources: list[Source],
    known: Known,
    check_fingerprint: bool,
    problems: Problems,
) -> None:
    """Stop at once (each alone) when the carry-over is done already, or when the old rosters
    changed since the preview."""
    if commune.pk in known.carried:
        problems.add(
            None,
            _(
                "%(unit)s đã chuyển giao xong. Muốn thay đổi phương án thì mở lại chuyển giao "
                "(khi chưa có kỳ chi trả, danh sách BHXH hay báo cáo nào được duyệt)."
            )
            % {"unit": commune.label},
        )
        problems.raise_if_any()
    if check_fingerprint and plan.fingerprint != fingerprint(sources):
        problems.add(
            None,
            _(
                "Danh sách của đơn vị cũ đã thay đổi từ lúc xem trước (có người vừa cập nhật khu "
                "dân cư, Tổ hoặc thành viên). Bấm «Xem trước» để xem lại phương án với dữ liệu "
                "mới nhất rồi xác nhận."
            ),
        )
        problems.raise_if_any()


def _included_areas(
    commune: AdministrativeUnit,
    plan: Plan,
    sources: list[Source],
    units: dict[int, AdministrativeUnit],
    problems: Problems,
) -> dict[int, OldArea]:
    """The old areas that come to this commune: all of a predecessor that merged whole, the
    picked ones of a split predecessor; none that another successor has taken already."""
    included: dict[int, OldArea] = {}
    for s in sources:
        if s.partly:
            picked = set(plan.picked.get(s.unit.pk, []))
            own = {a.id for a in s.areas}
            if picked - own:
                problems.add(
                    None, _("Khu dân cư được chọn không thuộc %(old)s.") % {"old": s.unit.label}
                )
            if not picked & own:
                problems.add(
                    "picked",
                    _(
                        "%(old)s chỉ nhập một phần vào %(unit)s: chọn ít nhất một khu dân cư của "
                        "đơn vị này chuyển về (khu còn lại thuộc đơn vị mới khác)."
                    )
                    % {"old": s.unit.label, "unit": commune.label},
                )
            chosen = [a for a in s.areas if a.id in picked]
        else:
            chosen = list(s.areas)
        for a in chosen:
            if a.carried_to:
                problems.add(
                    None,
                    _(
                        "%(area)s đã được chuyển giao cho %(other)s: mỗi khu dân cư chỉ chuyển "
                        "về một đơn vị mới."
                    )
                    % {"area": _label(a, units), "other": a.carried_to},
                )
            else:
                included[a.id] = a
        if not s.partly and s.already_carried and not s.members:
            problems.add(
                None,
                _("%(old)s đã được chuyển giao trước đó: không chuyển giao lần thứ hai.")
                % {"old": s.unit.label},
            )
    return included


def _new_areas(
    plan: Plan,
    included: dict[int, OldArea],
    existing: set[str],
    units: dict[int, AdministrativeUnit],
    problems: Problems,
) -> tuple[list[NewArea], dict[int, int]]:
    """The new areas of the plan, each included old area in exactly one; and, for each old
    area, the index of its new area."""
    target: dict[int, int] = {}
    new_areas: list[NewArea] = []
    seen_names: set[str] = set()
    for index, ap in enumerate(plan.areas):
        ap.name = " ".join((ap.name or "").split())
        srcs = []
        for old_id in ap.sources:
            old = included.get(old_id)
            if old is None:
                problems.add(
                    None,
                    _(
                        "Một khu dân cư trong phương án không thuộc các đơn vị được chuyển giao (mã %(id)s)."
                    )
                    % {"id": old_id},
                )
            elif old_id in target:
                problems.add(
                    "areas",
                    _("%(area)s được xếp vào hai khu dân cư mới («%(a)s» và «%(b)s»): chọn một.")
                    % {
                        "area": _label(old, units),
                        "a": plan.areas[target[old_id]].name,
                        "b": ap.name,
                    },
                )
            else:
                target[old_id] = index
                srcs.append(old)
        if not srcs:
            continue
        _check_area_name(ap.name, srcs, seen_names | existing, units, problems)
        seen_names.add(ap.name.lower())
        new_areas.append(_new_area(ap, srcs, problems))
        target.update({a.id: len(new_areas) - 1 for a in srcs})
    for old in included.values():
        if old.id not in target:
            problems.add(
                "areas",
                _("%(area)s chưa được xếp vào khu dân cư mới nào: giữ nguyên, đổi tên hoặc gộp.")
                % {"area": _label(old, units)},
            )
    return new_areas, target


def _check_area_name(
    name: str,
    srcs: list[OldArea],
    taken: set[str],
    units: dict[int, AdministrativeUnit],
    problems: Problems,
) -> None:
    if not name:
        problems.add(
            "areas",
            _("Chưa nhập tên khu dân cư mới cho %(area)s.")
            % {"area": ", ".join(_label(a, units) for a in srcs)},
        )
    elif name.lower() in taken:
        problems.add(
            "areas",
            _(
                "Hai khu dân cư mới cùng tên «%(name)s»: đặt tên khác (ví dụ thêm tên xã cũ), "
                "hoặc gộp các khu cũ vào một khu."
            )
            % {"name": name},
        )
    elif len(name) > 120:
        problems.add(
            "areas", _("Tên khu dân cư «%(name)s…» dài quá 120 ký tự.") % {"name": name[:40]}
        )


def _new_area(ap: AreaPlan, srcs: list[OldArea], problems: Problems) -> NewArea:
    """One new area from its old ones: what the officer typed, else the old areas' kind and
    village type when they agree and their households and residents added up."""
    name = ap.name
    kinds = {a.kind for a in srcs}
    kind = ap.kind or (kinds.pop() if len(kinds) == 1 else srcs[0].kind)
    if kind not in AreaKind.values:
        problems.add("areas", _("Loại khu dân cư của «%(name)s» không hợp lệ.") % {"name": name})
    households = ap.households if ap.households is not None else sum(a.households for a in srcs)
    residents_list = [a.residents for a in srcs]
    residents = (
        ap.residents
        if ap.residents is not None
        else (sum(r for r in residents_list if r) if None not in residents_list else None)
    )
    if households < 1:
        problems.add("areas", _("Số hộ của «%(name)s» phải là số nguyên dương.") % {"name": name})
    if residents is not None and residents < households:
        problems.add(
            "areas", _("Số nhân khẩu của «%(name)s» không được nhỏ hơn số hộ.") % {"name": name}
        )
    types = {a.village_type for a in srcs}
    village_type = (
        ap.village_type
        if ap.village_type is not None
        else (types.pop() if len(types) == 1 else None)
    )
    return NewArea(ap, kind, households, residents, village_type, srcs)


def _new_teams(
    plan: Plan,
    sources: list[Source],
    included: dict[int, OldArea],
    target: dict[int, int],
    new_areas: list[NewArea],
    existing: set[str],
    units: dict[int, AdministrativeUnit],
    problems: Problems,
) -> list[NewTeam]:
    """The new teams of the plan: each old team of the included areas in exactly one, whole
    (all its areas come here), and each new area under one new team."""
    teams = {t.id: t for s in sources for t in s.teams}
    involved = {tid: teams[tid] for a in included.values() for tid in a.team_ids}
    for t in involved.values():
        if any(aid not in included for aid in t.area_ids):
            problems.add(
                "teams",
                _(
                    "%(team)s (%(old)s) phụ trách cả khu dân cư không chuyển về đơn vị này: chọn "
                    "đủ các khu của Tổ, hoặc điều chỉnh Tổ ở đơn vị cũ trước."
                )
                % {"team": t.name, "old": units[t.commune_id].label},
            )
    team_target: dict[int, int] = {}
    new_teams: list[NewTeam] = []
    team_names: set[str] = set()
    area_team: dict[int, int] = {}
    for tp in plan.teams:
        tp.name = " ".join((tp.name or "").split())
        team_srcs: list[OldTeam] = []
        for tid in tp.sources:
            found = involved.get(tid)
            if found is None:
                problems.add(
                    None,
                    _(
                        "Một Tổ trong phương án không thuộc các khu dân cư được chuyển giao (mã %(id)s)."
                    )
                    % {"id": tid},
                )
            elif tid in team_target:
                problems.add(
                    "teams", _("%(team)s được xếp vào hai Tổ mới: chọn một.") % {"team": found.name}
                )
            else:
                team_target[tid] = len(new_teams)
                team_srcs.append(found)
        if not team_srcs:
            continue
        _check_team_name(tp.name, team_srcs, team_names | existing, problems)
        team_names.add(tp.name.lower())
        area_indexes = sorted(
            {target[aid] for ot in team_srcs for aid in ot.area_ids if aid in target}
        )
        numbers = sorted({ot.decision_number for ot in team_srcs if ot.decision_number})
        new_teams.append(
            NewTeam(
                tp,
                team_srcs,
                area_indexes,
                _moves(tp, team_srcs, problems),
                "; ".join(numbers)[:60],
                max(ot.decision_date for ot in team_srcs),
            )
        )
        for index in area_indexes:
            if index in area_team and area_team[index] != len(new_teams) - 1:
                problems.add(
                    "teams",
                    _(
                        "Khu dân cư mới «%(area)s» được gộp từ khu của nhiều Tổ (%(a)s, %(b)s): gộp "
                        "các Tổ đó thành một Tổ (mỗi khu dân cư thuộc một Tổ)."
                    )
                    % {
                        "area": new_areas[index].plan.name,
                        "a": new_teams[area_team[index]].plan.name,
                        "b": tp.name,
                    },
                )
            area_team[index] = len(new_teams) - 1
    for t in involved.values():
        if t.id not in team_target:
            problems.add(
                "teams",
                _("%(team)s (%(old)s) chưa được xếp vào Tổ mới nào.")
                % {"team": t.name, "old": units[t.commune_id].label},
            )
    return new_teams


def _check_team_name(
    name: str, team_srcs: list[OldTeam], taken: set[str], problems: Problems
) -> None:
    if not name:
        problems.add(
            "teams",
            _("Chưa nhập tên Tổ mới cho %(team)s.")
            % {"team": ", ".join(ot.name for ot in team_srcs)},
        )
    elif name.lower() in taken:
        problems.add(
            "teams",
            _("Hai Tổ mới cùng tên «%(name)s»: đặt tên khác, hoặc gộp các Tổ cũ vào một Tổ.")
            % {"name": name},
        )
    elif len(name) > 160:
        problems.add("teams", _("Tên Tổ «%(name)s…» dài quá 160 ký tự.") % {"name": name[:40]})


def _moves(tp: TeamPlan, team_srcs: list[OldTeam], problems: Problems) -> list[Move]:
    """Every member of the old teams into the new one, in the same role; when merged teams
    bring several leaders, the one the officer chose leads and the others become deputies."""
    members = [m for ot in team_srcs for m in ot.members]
    leaders = [m for m in members if m.role == TeamRole.TO_TRUONG]
    if len(leaders) <= 1:
        return [Move(m, m.role) for m in members]
    if tp.leader not in {m.id for m in leaders}:
        problems.add(
            "teams",
            _(
                "Tổ «%(name)s» gộp từ các Tổ có %(n)s Tổ trưởng (%(names)s): chọn người "
                "làm Tổ trưởng, những người còn lại làm Tổ phó."
            )
            % {"name": tp.name, "n": len(leaders), "names": ", ".join(m.name for m in leaders)},
        )
        return [Move(m, m.role) for m in members]
    return [
        Move(
            m,
            TeamRole.TO_PHO.value if m.role == TeamRole.TO_TRUONG and m.id != tp.leader else m.role,
        )
        for m in members
    ]


def _jurisdiction(
    commune: AdministrativeUnit, plan: Plan, sources: list[Source], problems: Problems
) -> str:
    """Whose rules apply: the commune's, or, for a commune formed from units of several old
    provinces, the old province the officer chose (Resolution 190/2025/QH15 Art. 10)."""
    if not needs_jurisdiction(commune, sources):
        return commune.jurisdiction
    options = jurisdictions_of(sources)
    if plan.jurisdiction in options:
        return plan.jurisdiction
    problems.add(
        "jurisdiction",
        _(
            "%(unit)s hình thành từ đơn vị của nhiều tỉnh cũ (%(options)s): chọn tỉnh cũ có "
            "nghị quyết áp dụng cho đơn vị mới (Nghị quyết 190/2025/QH15, Điều 10)."
        )
        % {
            "unit": commune.label,
            "options": ", ".join(f"{c} {jurisdiction_name(c)}" for c in options) or "?",
        },
    )
    return commune.jurisdiction


def _refuse_people_serving_elsewhere(
    new_teams: list[NewTeam], known: Known, problems: Problems
) -> None:
    """Nobody may serve twice: a carried person must not already serve after 30/06/2025."""
    moving = {m.member.person_id: m.member for t in new_teams for m in t.moves}
    for row in (row for person_id in moving for row in known.serving.get(person_id, [])):
        problems.add(
            None,
            _(
                "%(name)s (CCCD %(cccd)s) đã tham gia %(team)s, %(unit)s từ ngày %(start)s: một "
                "người chỉ tham gia một Tổ. Cho thôi tham gia ở đó, hoặc bỏ người này khỏi đơn vị "
                "cũ, rồi chuyển giao."
            )
            % {
                "name": moving[row.person_id].name,
                "cccd": moving[row.person_id].cccd,
                "team": row.team.name,
                "unit": row.team.commune.label,
                "start": format_date(row.start_date),
            },
        )


def quotas(resolved: Resolved) -> None:
    """Each new team's quota under the commune's jurisdiction rule on 01/07/2025 (the areas
    as the plan makes them)."""
    commune = resolved.commune
    probe = AdministrativeUnit(
        kind=commune.kind, jurisdiction=resolved.jurisdiction, level=commune.level
    )
    params = team_selectors.quota_parameters([resolved.jurisdiction])
    for team in resolved.teams:
        team.quota = team_selectors.quota_for_areas(
            commune=probe,
            areas=[resolved.areas[i].unsaved(commune) for i in team.areas],
            on=NEW_FIRST_DAY,
            params=params,
        )


def merged_over_quota(resolved: Resolved) -> list[NewTeam]:
    """New teams merged from several old teams with more members than their quota (quotas
    computed). Keeping one team adds nobody to it, so only a merge can go over."""
    return [t for t in resolved.teams if len(t.sources) > 1 and t.over_quota]


def refuse_over_quota_without_reason(resolved: Resolved) -> None:
    """A merged team over its quota is confirmed only with the reason, as a member added
    beyond the quota is (Circular 14/2024/TT-BCA: the team size is the province's to set)."""
    problems = Problems()
    for team in merged_over_quota(resolved):
        if not team.plan.over_quota_reason:
            quota = team.quota
            assert quota is not None and quota.members is not None  # over_quota says so
            citation = quota.result.citation if quota.result else ""
            problems.add(
                "teams",
                over_quota_merge_message(team.plan.name, quota.members, citation, team.size),
            )
    problems.raise_if_any()


@dataclass
class Preview:
    sources: list[Source]
    plan: Plan
    resolved: Resolved | None
    problems: list[str]
    # The old rosters as this preview saw them: the confirm button sends it back.
    fingerprint: str
    # Merged teams over their quota: confirmed only with the reason written on the page.
    over_quota: list[NewTeam] = field(default_factory=list)


def preview(*, commune: AdministrativeUnit, plan: Plan) -> Preview:
    """What confirming `plan` would do, or what to fix: writes nothing."""
    sources = sources_of(commune)
    seen = fingerprint(sources)
    try:
        resolved = resolve(commune, plan, sources, check_fingerprint=False)
    except ValidationError as exc:
        return Preview(sources, plan, None, [str(m) for m in exc.messages], seen)
    return Preview(sources, plan, resolved, [], seen, merged_over_quota(resolved))
