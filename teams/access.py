"""Who may see and do what: one permission table, one helper per object type.

A user sees the whole subtree of every unit they hold an `Assignment` at (a district finance
officer sees the district and its communes; the provincial police see the province). Every view
fetches objects through an ``access_*`` helper, which answers 404 both for "does not exist" and
for "not yours", so nobody can probe another unit's ids. A visible object that the user's role
may not change answers 403 with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import BackgroundJob

from .models import (
    AdministrativeUnit,
    Assignment,
    Level,
    Membership,
    Person,
    ResidentialArea,
    Role,
    RosterImport,
    Team,
    User,
)


class Perm(StrEnum):
    VIEW = "view"
    EDIT_ROSTER = "edit_roster"  # residential areas, teams, people, memberships
    RUN_ALLOWANCES = "run_allowances"  # compute and submit the monthly allowance run
    APPROVE_ALLOWANCES = "approve_allowances"
    PREPARE_INSURANCE = "prepare_insurance"  # list participants for quarterly funding
    VERIFY_INSURANCE = "verify_insurance"  # the social-insurance office checks the list
    APPROVE_FUNDING = "approve_funding"  # finance approves quarterly insurance funding
    SUBMIT_REPORT = "submit_report"
    CONSOLIDATE_REPORTS = "consolidate_reports"
    GRANT_LOCK_EXCEPTION = "grant_lock_exception"
    EDIT_PARAMETERS = "edit_parameters"  # dated rule parameters
    # Grassroots mediation (mediation/): teams, mediators and the case book; the parties' names
    # in the cases (personal data); finance's approval of the remuneration lists; the justice
    # office's receipt of the yearly reports.
    EDIT_MEDIATION = "edit_mediation"
    VIEW_MEDIATION_PARTIES = "view_mediation_parties"
    APPROVE_MEDIATION_PAY = "approve_mediation_pay"
    RECEIVE_MEDIATION_REPORTS = "receive_mediation_reports"
    # "An toàn về an ninh, trật tự" (safe_areas): the commune police enter and send; the
    # commune People's Committee decides for its areas, agencies, enterprises and schools; the
    # deciding unit above records the decision on a commune.
    SAFE_AREAS_ENTER = "safe_areas_enter"
    SAFE_AREAS_DECIDE = "safe_areas_decide"
    SAFE_AREAS_DECIDE_COMMUNE = "safe_areas_decide_commune"
    CARRY_OVER = "carry_over"  # hand the old communes' rosters over to the new commune (2025)
    CARRY_OVER_PROVINCE = "carry_over_province"  # the default hand-over for a whole province


# Keyed by the role as stored (Assignment.role is its text value; Role is a str enum).
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.COMMUNE_OFFICER: frozenset(
        {
            Perm.VIEW,
            Perm.EDIT_ROSTER,
            Perm.RUN_ALLOWANCES,
            Perm.PREPARE_INSURANCE,
            Perm.SUBMIT_REPORT,
            Perm.SAFE_AREAS_ENTER,
            Perm.CARRY_OVER,
        }
    ),
    Role.FINANCE_OFFICER: frozenset(
        {Perm.VIEW, Perm.APPROVE_ALLOWANCES, Perm.APPROVE_FUNDING, Perm.APPROVE_MEDIATION_PAY}
    ),
    Role.INSURANCE_OFFICER: frozenset({Perm.VIEW, Perm.VERIFY_INSURANCE}),
    Role.PROVINCIAL_POLICE: frozenset(
        {
            Perm.VIEW,
            Perm.CONSOLIDATE_REPORTS,
            Perm.GRANT_LOCK_EXCEPTION,
            Perm.SAFE_AREAS_DECIDE_COMMUNE,
            Perm.CARRY_OVER_PROVINCE,
        }
    ),
    # The apps that serve these roles add their permissions here (safe areas, mediation).
    Role.COMMUNE_LEADER: frozenset(
        {Perm.VIEW, Perm.SAFE_AREAS_DECIDE, Perm.VIEW_MEDIATION_PARTIES}
    ),
    Role.JUSTICE_OFFICER: frozenset({Perm.VIEW, Perm.EDIT_MEDIATION, Perm.VIEW_MEDIATION_PARTIES}),
    Role.JUSTICE_OFFICE: frozenset(
        {Perm.VIEW, Perm.VIEW_MEDIATION_PARTIES, Perm.RECEIVE_MEDIATION_REPORTS}
    ),
    Role.ADMINISTRATOR: frozenset(Perm),
}

PERMISSION_DENIED_MESSAGES = {
    Perm.EDIT_MEDIATION: gettext_lazy(
        "Chỉ công chức tư pháp - hộ tịch của xã được cập nhật Tổ hòa giải và sổ theo dõi."
    ),
    Perm.SAFE_AREAS_ENTER: gettext_lazy(
        "Chỉ cán bộ cấp xã (Công an xã) được nhập và gửi hồ sơ «An toàn về an ninh, trật tự»."
    ),
    Perm.SAFE_AREAS_DECIDE: gettext_lazy(
        "Chỉ lãnh đạo UBND cấp xã được ghi quyết định công nhận «An toàn về an ninh, trật tự»."
    ),
    Perm.EDIT_ROSTER: gettext_lazy(
        "Chỉ cán bộ cấp xã được cập nhật danh sách Tổ bảo vệ ANTT của xã mình."
    ),
}


def user_assignments(user: User) -> list[Assignment]:
    """The user's assignments with their units, fetched once per request (cached on the user;
    a signed-in request's user comes with them, `user_with_assignments`)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_antt_assignments", None)
    if cached is None:
        cached = list(Assignment.objects.filter(user=user).select_related("unit"))
        user._antt_assignments = cached
    return cached


def user_with_assignments(user_id: int) -> User | None:
    """The user, with `user_assignments` already loaded, in one query (None if no such user).

    Every signed-in page needs the assignments (the menu, `scope_q`), so the authentication
    backend (config.security) loads the user with them: the user, each assignment and its unit
    in one LEFT JOIN, in the order of `user_assignments` (Assignment's ordering, user then unit
    path). Django's user query and then the assignments' cost ~1.1 ms of CPU per request on
    SQLite, 1.4 ms on PostgreSQL, nearly all of it the ORM compiling them again; this one,
    compiled by the ORM once per connection (`_UserQuery`) and its rows read as the ORM reads
    them (the columns' converters, `Model.from_db`), costs 0.12 and 0.19 ms."""
    query = _UserQuery.of(connections[router.db_for_read(User)])
    return query.user(user_id)


class _UserQuery:
    """`user_with_assignments`'s query, compiled by the ORM once for one database connection."""

    # The user's id in the compiled query, replaced by the real one on every run.
    PLACEHOLDER = -1

    def __init__(self, connection):
        self.alias = connection.alias
        self.user_fields = user_fields = [f.attname for f in User._meta.concrete_fields]
        self.assignment_fields = assignment_fields = [
            f.attname for f in Assignment._meta.concrete_fields
        ]
        self.unit_fields = unit_fields = [
            f.attname for f in AdministrativeUnit._meta.concrete_fields
        ]
        queryset = (
            User._default_manager.using(self.alias)
            .filter(pk=self.PLACEHOLDER)
            .values_list(
                *user_fields,
                *(f"assignments__{name}" for name in assignment_fields),
                *(f"assignments__unit__{name}" for name in unit_fields),
            )
            # Assignment's ordering (user, unit path) for one user; the id orders two roles
            # held at one unit.
            .order_by("assignments__unit__path", "assignments__id")
        )
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        if list(params) != [self.PLACEHOLDER]:  # Django built it otherwise: say so at once
            raise AssertionError(f"user_with_assignments: unexpected parameters {params!r}")
        self.converters = self.compiler.get_converters(
            [column for column, _sql, _alias in self.compiler.select]
        )

    @classmethod
    def of(cls, connection) -> _UserQuery:
        # Kept on the connection object, which is each thread's own (django.db.connections).
        query = getattr(connection, "_antt_user_query", None)
        if query is None:
            query = connection._antt_user_query = cls(connection)
        return query

    def user(self, user_id: int) -> User | None:
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, [user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        start = len(self.user_fields)
        end = start + len(self.assignment_fields)
        user = User.from_db(self.alias, self.user_fields, rows[0][:start])
        assignments = []
        for row in rows:
            if row[start] is None:  # the LEFT JOIN's row of a user without assignments
                continue
            assignment = Assignment.from_db(self.alias, self.assignment_fields, row[start:end])
            unit = AdministrativeUnit.from_db(self.alias, self.unit_fields, row[end:])
            Assignment.unit.field.set_cached_value(assignment, unit)
            Assignment.user.field.set_cached_value(assignment, user)
            assignments.append(assignment)
        user._antt_assignments = assignments  # type: ignore[attr-defined]
        return user


def scope_q(user: User, perm: Perm = Perm.VIEW, *, path_field: str = "path") -> Q:
    """A filter selecting objects under the units where `user` holds `perm`.

    `path_field` names the unit path from the filtered model, e.g. ``"commune__path"`` for
    residential areas. A superuser is unrestricted; a user without assignments sees nothing.
    """
    paths = _scope_paths(user, perm)
    if paths is None:
        return Q()
    return _under_paths(paths, path_field)


def _scope_paths(user: User, perm: Perm) -> set[str] | None:
    """The paths `scope_q` selects under, or None for a superuser (unrestricted)."""
    if user.is_active and user.is_superuser:
        return None
    return {a.unit.path for a in user_assignments(user) if perm in ROLE_PERMISSIONS[a.role]}


def work_scope_q(user: User, perm: Perm, *, path_field: str = "path") -> Q:
    """Like `scope_q`, but only through the roles whose job `perm` is: the work inbox lists
    what waits for a user in their role, so an administrator (who may do everything, and a
    superuser likewise) is not shown every commune's work as their own."""
    return _under_paths(set(_work_paths(user, perm)), path_field)


def has_work(user: User, perms: Iterable[Hashable]) -> bool:
    """Whether `user` holds one of `perms` somewhere in a role whose job it is (the units of
    `work_scope_q`). The inbox asks first: a query whose scope is empty finds nothing, yet
    Django still builds and compiles it (1–3 ms each, about 17 for every page's header badge)."""
    return any(_work_paths(user, perm) for perm in perms)


def work_communes(user: User, perm: Perm, day: datetime.date) -> list[AdministrativeUnit]:
    """The communes in existence on `day` under the units of `work_scope_q(user, perm)`, in
    path order. One query for every permission with the same units (a commune officer's
    allowances, insurance, safe areas and carry-over start from the same communes), none for
    a user without them; the inbox's providers then ask about these communes by id. An
    officer of an old-tree commune has none today: that is one query instead of five."""
    paths = _work_paths(user, perm)
    if not paths:
        return []
    cache = _work_cache(user)
    key = (paths, day)
    if key not in cache:
        cache[key] = list(
            AdministrativeUnit.objects.communes()
            .valid_on(day)
            .filter(_under_paths(set(paths), "path"))
            .order_by("path")
        )
    return cache[key]


def _work_paths(user: User, perm: Hashable) -> frozenset[str]:
    """The paths of the units where `user` holds `perm` in a working role."""
    cache = _work_cache(user)
    if perm not in cache:
        cache[perm] = frozenset(
            a.unit.path
            for a in user_assignments(user)
            if a.role != Role.ADMINISTRATOR and perm in ROLE_PERMISSIONS[a.role]
        )
    return cache[perm]


def _work_cache(user: User) -> dict:
    """What the inbox works out from the user's assignments, kept as long as the list of
    assignments that `user_assignments` caches on the user (one request)."""
    assignments = user_assignments(user)
    of, cache = getattr(user, "_antt_work", (None, {}))
    if of is not assignments:
        cache = {}
        if user.is_authenticated:
            user._antt_work = (assignments, cache)  # type: ignore[attr-defined]
    return cache


def admin_scope_q(user: User, *, path_field: str = "path") -> Q:
    """The rows Django's admin (/quan-tri/) shows `user`: those under the units where the user
    holds an administrator assignment, by the same subtree rule as `scope_q` (a superuser sees
    everything). Only the administrator assignments count: a staff account that is also, say, a
    commune officer elsewhere does not administer that commune."""
    if user.is_active and user.is_superuser:
        return Q()
    paths = {a.unit.path for a in user_assignments(user) if a.role == Role.ADMINISTRATOR}
    return _under_paths(paths, path_field)


def _under_paths(paths: set[str], path_field: str) -> Q:
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for unit_path in sorted(paths):
        q |= Q(**{f"{path_field}__startswith": unit_path})
    return q


def can(user: User, unit: AdministrativeUnit, perm: Perm) -> bool:
    """Whether `user` holds `perm` at `unit` (through an assignment at it or above it)."""
    if user.is_active and user.is_superuser:
        return True
    return any(
        unit.path.startswith(a.unit.path) and perm in ROLE_PERMISSIONS[a.role]
        for a in user_assignments(user)
    )


def require(user: User, unit: AdministrativeUnit, perm: Perm) -> None:
    """Raise 403 with a Vietnamese reason when the visible `unit` does not allow `perm`."""
    if not can(user, unit, perm):
        raise PermissionDenied(
            PERMISSION_DENIED_MESSAGES.get(
                perm, _("Vai trò của bạn không được thực hiện thao tác này.")
            )
        )


def one[M: Model](queryset: QuerySet[M]) -> M | None:
    """The one object of a queryset filtered by primary key, or None: `.first()` without the
    ORDER BY it adds (the model's Meta.ordering, else the primary key). Ordering one row
    changes nothing, yet compiling it (a join for a team's commune path) was about a third of
    an access helper's CPU, on every request that opens an object (~0.2 of ~0.6 ms)."""
    return next(iter(queryset.order_by()[:1]), None)


def one_in_scope[M: Model](
    model: type[M],
    user: User,
    pk: int,
    *,
    path_field: str,
    select_related: tuple[str, ...] = (),
    perm: Perm = Perm.VIEW,
) -> M | None:
    """``one(model._default_manager.filter(scope_q(user, perm, path_field=path_field))
    .select_related(*select_related).filter(pk=pk))``, the lookup of every access helper: the
    same statement, parameters and objects, with the statement compiled by the ORM once per
    connection for each shape (model, path field, related objects, number of the user's paths)
    instead of on every request that opens an object (`_ScopedQuery`)."""
    paths = _scope_paths(user, perm)
    if paths is not None and not paths:
        return None  # `Q(pk__in=[])`: Django finds nothing without asking the database
    connection = connections[router.db_for_read(model)]
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    if type(pk) is not int or not low <= pk <= high:
        # e.g. an id no column holds: the ORM's own answer (no statement at all)
        queryset = model._default_manager.filter(scope_q(user, perm, path_field=path_field))
        return one(queryset.select_related(*select_related).filter(pk=pk))
    key = (model, path_field, select_related, None if paths is None else len(paths))
    cache = connection.__dict__.setdefault("_antt_scoped_queries", {})
    query = cache.get(key)
    if query is None:
        query = cache[key] = _ScopedQuery(connection, *key)
    return query.get(sorted(paths or ()), pk)


class _ScopedQuery:
    """`one_in_scope`'s statement for one shape, compiled by the ORM once for one connection
    with stand-in values (`PATH`, `PK`) that each run replaces with the real ones; its rows
    are read as the ORM reads them (`ModelIterable`: the columns' converters, `Model.from_db`,
    the select_related objects' populators)."""

    PATH = "\x00antt-scope-path-{:06d}\x00"
    PK = -7_340_033

    def __init__(self, connection, model, path_field, select_related, paths):
        from django.db.models.query import get_related_populators

        self.connection = connection
        self.alias = alias = connection.alias
        self.like = like = connection.ops.prep_for_like_query
        stand_ins = [self.PATH.format(i) for i in range(paths or 0)]
        scope = Q() if paths is None else _under_paths(set(stand_ins), path_field)
        queryset = (
            model._default_manager.using(alias)
            .filter(scope)
            .select_related(*select_related)
            .filter(pk=self.PK)
            .order_by()[:1]
        )
        self.compiler = compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        # Each parameter: the pk, the i-th of the user's paths (sorted, as `_under_paths`
        # orders them), or a constant of the statement.
        patterns = {like(p) + "%": i for i, p in enumerate(stand_ins)}
        self.slots: list[tuple[str, Any]] = [
            ("pk", None) if p == self.PK and type(p) is int
            else ("path", patterns[p]) if isinstance(p, str) and p in patterns
            else ("constant", p)
            for p in params
        ]  # fmt: skip
        kinds = [kind for kind, _ in self.slots]
        if kinds.count("pk") != 1 or sorted(i for k, i in self.slots if k == "path") != list(
            range(len(stand_ins))
        ):  # Django built it otherwise: say so at once
            raise AssertionError(f"one_in_scope: unexpected parameters {params!r}")
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields) or compiler.annotation_col_map:
            raise AssertionError("one_in_scope: composite fields or annotations")
        self.converters = compiler.get_converters(fields)
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[self.start : self.end]]
        # (django-stubs describe a later Django's signature, with a fetch mode)
        self.populators = get_related_populators(  # type: ignore[call-arg]
            klass_info, compiler.select, alias
        )

    def get(self, paths: list[str], pk: int):
        like = self.like
        params = [
            pk if kind == "pk" else like(paths[arg]) + "%" if kind == "path" else arg
            for kind, arg in self.slots
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        obj = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        return obj


def access_unit(user: User, pk: int, perm: Perm = Perm.VIEW) -> AdministrativeUnit:
    unit = one_in_scope(AdministrativeUnit, user, pk, path_field="path")
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    require(user, unit, perm)
    return unit


def access_commune(user: User, pk: int, perm: Perm = Perm.VIEW) -> AdministrativeUnit:
    """A unit of commune level (xã, phường, thị trấn, đặc khu): the pages of residential
    areas, teams, allowance runs, insurance lists and training exist only there. 404 for a
    district or province, like for a unit that is not the user's."""
    unit = access_unit(user, pk, perm)
    if unit.level != Level.COMMUNE:
        raise Http404(_("Trang này chỉ có ở cấp xã (xã, phường, thị trấn, đặc khu)."))
    return unit


# Roster objects hang off a commune; each helper finds the object only inside the user's
# subtree (404 otherwise, the same answer as for an id that does not exist), then checks that
# the role may do `perm` at that commune (403 with the reason otherwise).


def access_area(user: User, pk: int, perm: Perm = Perm.VIEW) -> ResidentialArea:
    area = one_in_scope(
        ResidentialArea, user, pk, path_field="commune__path", select_related=("commune",)
    )
    if area is None:
        raise Http404(_("Không tìm thấy khu dân cư."))
    require(user, area.commune, perm)
    return area


def access_team(user: User, pk: int, perm: Perm = Perm.VIEW) -> Team:
    team = one_in_scope(Team, user, pk, path_field="commune__path", select_related=("commune",))
    if team is None:
        raise Http404(_("Không tìm thấy Tổ."))
    require(user, team.commune, perm)
    return team


def access_membership(user: User, pk: int, perm: Perm = Perm.VIEW) -> Membership:
    membership = one_in_scope(
        Membership,
        user,
        pk,
        path_field="team__commune__path",
        select_related=("team__commune", "person"),
    )
    if membership is None:
        raise Http404(_("Không tìm thấy thông tin tham gia Tổ."))
    require(user, membership.team.commune, perm)
    return membership


def person_home_membership(person: Person) -> Membership | None:
    """The membership that decides who maintains a person's record: the active one, else the
    one that ended last."""
    return (
        person.memberships.select_related("team__commune")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "-pk")
        .first()
    )


def access_person(user: User, pk: int, perm: Perm = Perm.VIEW) -> Person:
    """A person is visible through any membership (past or present) in the user's subtree.
    Changing the record needs `perm` at the commune of the active membership, or of the latest
    one when the person no longer serves: the commune that keeps the person's file."""
    person = one(
        Person.objects.filter(
            pk=pk,
            pk__in=Membership.objects.filter(
                scope_q(user, path_field="team__commune__path")
            ).values("person_id"),
        )
    )
    if person is None:
        raise Http404(_("Không tìm thấy thành viên."))
    if perm != Perm.VIEW:
        home = person_home_membership(person)
        require(user, home.team.commune, perm)
        person.home_membership = home
    return person


def access_import(user: User, pk: int) -> RosterImport:
    """Only the officer who uploaded a workbook may confirm it, and only while they may still
    edit that commune's roster."""
    upload = one(
        RosterImport.objects.filter(scope_q(user, path_field="commune__path"))
        .select_related("commune")
        .filter(pk=pk, uploaded_by=user)
    )
    if upload is None:
        raise Http404(_("Không tìm thấy lần nhập."))
    require(user, upload.commune, Perm.EDIT_ROSTER)
    return upload


def access_background_job[J: BackgroundJob](user: User, model: type[J], pk: int) -> J:
    """A background document (core.jobs: a province's report, the roster annex, …) is its
    requester's, and only while they still see its unit: one rule for every app's jobs."""
    job = one(
        model._default_manager.filter(scope_q(user, path_field="unit__path"), requested_by=user)
        .select_related("unit")
        .filter(pk=pk)
    )
    if job is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    return job
