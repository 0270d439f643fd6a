"""Reads for the teams app. Every list takes the actor and stays inside what they may see."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rules import engine as rules_engine
from rules.base import AreaFacts, CommuneKind, QuotaResult, RuleError, TeamRole
from rules.models import database_parameters

from .access import scope_q, user_assignments
from .history import label, show
from .models import (
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    AdministrativeUnit,
    Assignment,
    Level,
    Membership,
    Person,
    ResidentialArea,
    RosterImport,
    Team,
    TeamStatus,
    Tree,
    UnitSuccession,
    User,
    person_search_name,
    search_key,
)


@dataclass(frozen=True)
class UnitStats:
    communes: int
    areas: int
    households: int
    residents: int


def unit_stats(*, unit: AdministrativeUnit) -> UnitStats:
    communes = 1 if unit.is_commune else AdministrativeUnit.objects.within(unit).communes().count()
    areas = ResidentialArea.objects.filter(commune__path__startswith=unit.path).aggregate(
        n=Count("pk"),
        households=Coalesce(Sum("households"), 0),
        residents=Coalesce(Sum("residents"), 0),
    )
    return UnitStats(communes, areas["n"], areas["households"], areas["residents"])


@dataclass(frozen=True)
class HomeCard:
    assignment: Assignment
    stats: UnitStats


def home_cards(*, actor: User) -> list[HomeCard]:
    """One card per unit the actor holds a role at, with what lies under it."""
    return [HomeCard(a, unit_stats(unit=a.unit)) for a in user_assignments(actor)]


def units_visible(*, actor: User) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(scope_q(actor))


def top_units(*, actor: User) -> QuerySet[AdministrativeUnit]:
    """Provinces of both trees, for a superuser without assignments."""
    # New provinces have communes as children; old ones have districts, then communes.
    return (
        units_visible(actor=actor)
        .filter(level=Level.PROVINCE)
        .annotate(
            commune_count=Count("children", filter=Q(children__level=Level.COMMUNE), distinct=True)
            + Count("children__children", distinct=True)
        )
        .order_by("-tree", "name")
    )


def unit_ancestors(*, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(path__in=unit.ancestor_paths).order_by("path"))


def unit_page(*, unit: AdministrativeUnit) -> dict:
    """What every page inside a unit starts its template context from: the unit, its
    ancestors for the breadcrumbs (templates/teams/_crumbs.html) and, for a commune, the same
    unit as `commune`, which the breadcrumbs and the commune's menus link to."""
    context = {"unit": unit, "ancestors": unit_ancestors(unit=unit)}
    if unit.level == Level.COMMUNE:
        context["commune"] = unit
    return context


def unit_children(*, unit: AdministrativeUnit, search: str = "") -> QuerySet[AdministrativeUnit]:
    """The units directly under `unit`, with counts of what lies beneath each."""
    children = unit.children.all()
    if search:
        key = search_key(search)
        children = children.filter(search_name__contains=key) | children.filter(code=search.strip())
    if unit.tree == Tree.LEGACY and unit.level == Level.PROVINCE:
        areas_under = ResidentialArea.objects.filter(commune__parent=OuterRef("pk")).values(
            "commune__parent"
        )
        return children.annotate(
            commune_count=Count("children", distinct=True),
            area_count=Coalesce(
                Subquery(
                    areas_under.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
                ),
                0,
            ),
            households=Coalesce(
                Subquery(
                    areas_under.annotate(n=Sum("households")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        ).order_by("code")
    return children.annotate(
        area_count=Count("residential_areas"),
        households=Coalesce(Sum("residential_areas__households"), 0),
    ).order_by("code")


def commune_areas(*, commune: AdministrativeUnit) -> QuerySet[ResidentialArea]:
    return commune.residential_areas.order_by("name")


def unit_predecessors(*, unit: AdministrativeUnit) -> QuerySet[UnitSuccession]:
    """The old units this one was formed from on 1 Jul 2025 (with "partly" flags)."""
    return (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent__parent")
        .order_by("predecessor__path")
    )


def unit_successors(*, unit: AdministrativeUnit) -> QuerySet[UnitSuccession]:
    """The new units this old one became part of on 1 Jul 2025."""
    return (
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor__parent")
        .order_by("successor__path")
    )


# ---------------------------------------------------------------------------------------------
# Teams and their quota
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaOutcome:
    """The member quota of a team on a day, or why it cannot be computed (a rule error whose
    Vietnamese message is shown as it is; never a guessed number)."""

    on: datetime.date
    result: QuotaResult | None = None
    error: str = ""

    @property
    def members(self) -> int | None:
        return self.result.members if self.result else None

    @property
    def maximum(self) -> bool:
        # "up to" quotas arrive with the rules of other provinces (QuotaResult.maximum).
        return bool(getattr(self.result, "maximum", False))


def combined_area_facts(commune: AdministrativeUnit, areas: list[ResidentialArea]) -> AreaFacts:
    """What the quota rule is applied to, for a team covering `areas` of `commune`.

    Resolutions set quotas per residential area. A team may cover several areas (Law 30/2023
    Art. 14(2)); for such a team the rule is applied once to the areas taken together, their
    households and residents added up, not once per area with the results added: two hamlets
    of 200 households sharing a team make one team of 3 in Phú Thọ, not 6. Residents count only
    when every area has them; the village type and the area kind are passed on only when all
    the areas agree.
    """
    residents = [a.residents for a in areas]
    village_types = {a.village_type for a in areas}
    kinds = {a.kind for a in areas}
    return AreaFacts(
        commune_kind=CommuneKind(commune.kind),
        households=sum(a.households for a in areas),
        residents=sum(residents) if residents and None not in residents else None,
        area_kind=kinds.pop() if len(kinds) == 1 else "",
        village_type=village_types.pop() if len(village_types) == 1 else None,
    )


def quota_day(commune: AdministrativeUnit, today: datetime.date) -> datetime.date:
    """The day a team's quota is shown for: today, or the last day of an old commune."""
    if commune.valid_to and commune.valid_to < today:
        return commune.valid_to
    return today


_parameter_cache: ContextVar[dict | None] = ContextVar("quota_parameter_cache", default=None)


@contextmanager
def parameters_cache():
    """Within this block, parameter tables are read from the database once per set of
    jurisdictions (for bulk work such as the demo; a request reads them fresh)."""
    token = _parameter_cache.set({})
    try:
        yield
    finally:
        _parameter_cache.reset(token)


def quota_parameters(jurisdictions: list[str]):
    key = tuple(sorted({j for j in jurisdictions if j}))
    cache = _parameter_cache.get()
    if cache is None:
        return database_parameters(list(key))
    if key not in cache:
        cache[key] = database_parameters(list(key))
    return cache[key]


def quota_for_areas(
    *,
    commune: AdministrativeUnit,
    areas: list[ResidentialArea],
    on: datetime.date,
    params=None,
) -> QuotaOutcome:
    def unknown(reason) -> QuotaOutcome:
        return QuotaOutcome(
            on, error=_("Chưa xác định được định mức: %(reason)s") % {"reason": reason}
        )

    if not areas:
        return unknown(_("Tổ chưa phụ trách khu dân cư nào."))
    if not commune.jurisdiction:
        return unknown(
            _(
                "đơn vị chưa có thẩm quyền áp dụng quy định (mã tỉnh cũ); quản trị viên cần xác nhận."
            )
        )
    if commune.kind not in CommuneKind:
        return unknown(_("đơn vị không phải cấp xã."))
    if params is None:
        params = quota_parameters([commune.jurisdiction])
    try:
        result = rules_engine.member_quota(
            jurisdiction=commune.jurisdiction,
            area=combined_area_facts(commune, areas),
            on=on,
            params=params,
        )
    except RuleError as exc:
        return unknown(str(exc))  # the rule's own words, as they are
    return QuotaOutcome(on, result=result)


def team_quota(
    *, team: Team, on: datetime.date | None = None, params=None, today=None
) -> QuotaOutcome:
    today = today or timezone.localdate()
    return quota_for_areas(
        commune=team.commune,
        areas=list(team.areas.all()),
        on=on or quota_day(team.commune, today),
        params=params,
    )


ROLE_ORDER = Case(
    *(When(role=role.value, then=Value(i)) for i, role in enumerate(TeamRole)),
    default=Value(9),
    output_field=IntegerField(),
)


def active_count_subquery():
    return Coalesce(
        Subquery(
            Membership.objects.filter(team=OuterRef("pk"), end_date__isnull=True)
            .values("team")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


@dataclass
class TeamRow:
    team: Team
    areas: list[ResidentialArea]
    size: int
    leader: str
    quota: QuotaOutcome

    @property
    def over_quota(self) -> bool:
        return self.quota.members is not None and self.size > self.quota.members

    @property
    def under_quota(self) -> bool:
        return self.quota.members is not None and self.size < self.quota.members

    @property
    def missing(self) -> int:
        return max((self.quota.members or 0) - self.size, 0)

    @property
    def excess(self) -> int:
        return max(self.size - (self.quota.members or self.size), 0)


def team_row(*, team: Team, size: int, today: datetime.date | None = None) -> TeamRow:
    areas = list(team.areas.order_by("name"))
    day = quota_day(team.commune, today or timezone.localdate())
    quota = quota_for_areas(commune=team.commune, areas=areas, on=day)
    return TeamRow(team, areas, size, "", quota)


def commune_teams(
    *, commune: AdministrativeUnit, today: datetime.date | None = None
) -> list[TeamRow]:
    """The commune's teams with areas, current size, leader and quota: a fixed number of queries
    whatever the number of teams and members (quota rules run in memory)."""
    today = today or timezone.localdate()
    leader = Membership.objects.filter(
        team=OuterRef("pk"), end_date__isnull=True, role=TeamRole.TO_TRUONG.value
    ).values("person__full_name")[:1]
    teams = list(
        commune.teams.annotate(size=active_count_subquery(), leader_name=Subquery(leader))
        .prefetch_related(Prefetch("areas", queryset=ResidentialArea.objects.order_by("name")))
        .order_by("status", "name")
    )
    params = quota_parameters([commune.jurisdiction]) if teams else None
    day = quota_day(commune, today)
    rows = []
    for team in teams:
        team.commune = commune
        areas = list(team.areas.all())
        quota = quota_for_areas(commune=commune, areas=areas, on=day, params=params)
        rows.append(TeamRow(team, areas, team.size, team.leader_name or "", quota))
    return rows


def area_teams(*, commune: AdministrativeUnit) -> dict[int, Team]:
    """Active team of each area of the commune (area id → team)."""
    links = Team.areas.through.objects.filter(
        team__commune=commune, team__status=TeamStatus.ACTIVE
    ).select_related("team")
    return {link.residentialarea_id: link.team for link in links}


def team_memberships(*, team: Team) -> tuple[list[Membership], list[Membership]]:
    """(active, ended) memberships of a team, leaders first, with the person."""
    rows = list(
        team.memberships.select_related("person", "transferred_to__team").order_by(
            ROLE_ORDER, "person__search_name", "-end_date"
        )
    )
    return [m for m in rows if m.is_active], [m for m in rows if not m.is_active]


def team_leader(*, team: Team, exclude: Membership | None = None) -> Membership | None:
    qs = team.memberships.filter(end_date__isnull=True, role=TeamRole.TO_TRUONG.value)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.select_related("person").first()


def team_size(*, team: Team) -> int:
    return team.memberships.filter(end_date__isnull=True).count()


def commune_team_choices(*, commune: AdministrativeUnit) -> list[tuple[int, str]]:
    """(id, name) of every team of the commune, active ones first, for a filter's list: one
    query, whatever the number of teams (model instances loaded with `.only()` would each
    reload their deferred commune)."""
    return list(commune.teams.order_by("status", "name").values_list("pk", "name"))


def commune_active_teams(*, commune: AdministrativeUnit) -> QuerySet[Team]:
    return commune.teams.filter(status=TeamStatus.ACTIVE).order_by("name")


# ---------------------------------------------------------------------------------------------
# Rosters: lists of memberships
# ---------------------------------------------------------------------------------------------


class RosterStatus:
    ACTIVE = "dang"
    ENDED = "da-thoi"
    ALL = "tat-ca"
    CHOICES = [
        (ACTIVE, gettext_lazy("Đang tham gia")),
        (ENDED, gettext_lazy("Đã thôi tham gia, chuyển Tổ")),
        (ALL, gettext_lazy("Tất cả")),
    ]


class RosterSort:
    """The roster's orders, by the key in the page's address ("-" before it: descending).
    Each ends with the default order, so that rows of equal value keep a stable place."""

    DEFAULT = ("team__commune__path", "team__name", ROLE_ORDER, "person__search_name", "pk")
    KEYS = {
        "ten": ("person__search_name",),
        "ngay-sinh": ("person__birth_date",),
        "xa": ("team__commune__path",),
        "to": ("team__commune__path", "team__name"),
        "chuc-danh": (ROLE_ORDER,),
        "bat-dau": ("start_date",),
    }
    CHOICES = [*KEYS, *(f"-{k}" for k in KEYS)]

    @classmethod
    def order(cls, sort: str) -> list:
        name = sort.removeprefix("-")
        if name not in cls.KEYS:
            return list(cls.DEFAULT)
        descending = sort.startswith("-")
        first = [
            (F(f) if isinstance(f, str) else f).desc() if descending else f for f in cls.KEYS[name]
        ]
        return [*first, *cls.DEFAULT]


@dataclass(frozen=True)
class RosterFilters:
    search: str = ""
    team: int | None = None
    role: str = ""
    status: str = RosterStatus.ACTIVE
    household: str = ""
    post: str = ""
    unit: int | None = None  # a district or commune under the page's unit
    sort: str = ""  # a key of RosterSort


def roster_unit_choices(*, unit: AdministrativeUnit) -> list:
    """The districts and communes under `unit` whose roster can be shown on their own, for
    the filter of a district's or province's roster: communes that have teams, grouped by
    district where there are districts (the district itself first, for the whole district).
    One query."""
    rows = (
        AdministrativeUnit.objects.within(unit)
        .filter(level__in=[Level.DISTRICT, Level.COMMUNE])
        .exclude(pk=unit.pk)
        .annotate(has_teams=Exists(Team.objects.filter(commune=OuterRef("pk"))))
        .order_by("path")
        .values_list("pk", "name", "level", "parent_id", "has_teams")
    )
    districts: dict[int, tuple[str, list]] = {}
    communes = []
    for pk, name, level, parent_id, has_teams in rows:
        if level == Level.DISTRICT:
            districts[pk] = (name, [])
        elif has_teams and parent_id in districts:
            districts[parent_id][1].append((pk, name))
        elif has_teams:
            communes.append((pk, name))
    grouped = [
        (name, [(pk, _("Cả %(unit)s") % {"unit": name[:1].lower() + name[1:]}), *children])
        for pk, (name, children) in districts.items()
        if children
    ]
    return [*grouped, *communes]


def roster(
    *, actor: User, unit: AdministrativeUnit, filters: RosterFilters
) -> QuerySet[Membership]:
    """Memberships in teams under `unit` that `actor` may see, filtered; people and teams come
    with each row (one query per page however many rows)."""
    qs = Membership.objects.filter(
        scope_q(actor, path_field="team__commune__path"),
        team__commune__path__startswith=unit.path,
    ).select_related("person", "team__commune")
    if filters.status == RosterStatus.ACTIVE:
        qs = qs.filter(end_date__isnull=True)
    elif filters.status == RosterStatus.ENDED:
        qs = qs.filter(end_date__isnull=False)
    if filters.search:
        text = filters.search.strip()
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) == len(text.replace(" ", "")):
            qs = qs.filter(person__cccd__startswith=digits)
        else:
            # Every word typed must start a word of the name: "van an" finds "Nguyễn Văn An"
            # but "an" does not find "Trần Thị Bình".
            for word in person_search_name(text).split():
                qs = qs.filter(
                    Q(person__search_name__startswith=word)
                    | Q(person__search_name__contains=f" {word}")
                )
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.unit:
        # A commune, or a district (its communes): under `unit` anyway, by the filter above.
        qs = qs.filter(Q(team__commune_id=filters.unit) | Q(team__commune__parent_id=filters.unit))
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.household:
        qs = qs.filter(person__household_status=filters.household)
    if filters.post:
        # JSON containment is not on SQLite; the stored list is small text, so a quoted
        # substring match is exact (no post value is a substring of another within quotes).
        qs = qs.filter(concurrent_posts__icontains=f'"{filters.post}"')
    return qs.order_by(*RosterSort.order(filters.sort))


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: str


def record_facts(*, instance: Person | Membership, skip: tuple[str, ...] = ()) -> list[Fact]:
    """An instance's roster fields (teams.models.PERSON_FIELDS / MEMBERSHIP_FIELDS) with their
    labels and values as people read them, for the pages that show a record."""
    entries = PERSON_FIELDS if isinstance(instance, Person) else MEMBERSHIP_FIELDS
    facts = []
    for entry in entries:
        if entry.name not in skip:
            f = instance._meta.get_field(entry.name)
            facts.append(Fact(entry.name, label(f), show(f, getattr(instance, entry.name))))
    return facts


def person_memberships(*, actor: User, person: Person) -> list[Membership]:
    return list(
        person.memberships.filter(scope_q(actor, path_field="team__commune__path"))
        .select_related("team__commune", "transferred_to__team")
        .order_by("-start_date", "-pk")
    )


def person_active_membership(*, person: Person) -> Membership | None:
    return person.memberships.filter(end_date__isnull=True).select_related("team__commune").first()


def person_last_end(*, person: Person, exclude: Membership | None = None) -> datetime.date | None:
    """The last day of the person's latest ended membership (other than `exclude`)."""
    qs = person.memberships.filter(end_date__isnull=False)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(last=Max("end_date"))["last"]


def import_history(*, commune: AdministrativeUnit) -> QuerySet[RosterImport]:
    return (
        RosterImport.objects.filter(commune=commune, status=RosterImport.Status.IMPORTED)
        .select_related("uploaded_by")
        .order_by("-imported_at")[:10]
    )
