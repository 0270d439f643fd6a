"""The all-or-nothing import: rows checked against facts loaded once, then written in bulk.

A row is a person and their appointment. It is checked with `teams.validation` (the same rules
and words as the browser forms) plus what only a whole file can reveal: the same CCCD twice,
two Tổ trưởng for one team, a team filled beyond its quota by several rows. The facts the rows
are checked against (teams, the people with these CCCD numbers, their memberships, team sizes,
leaders, quotas) are loaded in a handful of queries whatever the number of rows. Any error
anywhere and nothing is written; otherwise people, memberships and their history rows are
written together, in the same transaction as the checks.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.formatting import format_date
from rules.base import TeamRole

from .. import selectors
from ..access import Perm, can
from ..models import (
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    AdministrativeUnit,
    Membership,
    Person,
    Team,
    TeamStatus,
    User,
    role_label,
)
from ..validation import (
    MembershipData,
    PersonData,
    Problems,
    active_elsewhere_message,
    check_membership,
    check_person,
    excerpt,
    leader_message,
    quota_message,
)
from . import columns
from .columns import BY_NAME, key
from .reader import ImportFileError, read_workbook
from .report import NEW, SKIP, UPDATE, ImportReport, PreviewRow, RowError

HISTORY_REASON = "Nhập từ Excel"
INVALID = "invalid"
TEAMS_NAMED = 8  # how many of the commune's teams a "team not found" message names


def import_roster(
    *, commune: AdministrativeUnit, content: bytes, actor: User | None, dry_run: bool
) -> ImportReport:
    """Check (and unless `dry_run`, write) a roster workbook for `commune`: all rows or none."""
    try:
        table, column_errors = read_workbook(content)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(0, "", str(exc))])
    if column_errors:
        return ImportReport(rows=len(table.rows), errors=column_errors)
    rows = [dict(zip(table.headers, values, strict=True)) for values in table.rows]
    return run(
        commune=commune,
        rows=rows,
        numbers=table.row_numbers,
        actor=actor,
        dry_run=dry_run,
        reason=HISTORY_REASON,
    )


def import_records(
    *, commune: AdministrativeUnit, records: list[dict], actor: User | None, reason: str
) -> ImportReport:
    """Rows given as values (field name → value) instead of a workbook, checked and written
    exactly like an import: for data entered in bulk by the system itself (the demo)."""
    return run(
        commune=commune,
        rows=records,
        numbers=list(range(2, len(records) + 2)),
        actor=actor,
        dry_run=False,
        reason=reason,
    )


def run(
    *,
    commune: AdministrativeUnit,
    rows: list[dict],
    numbers: list[int],
    actor: User | None,
    dry_run: bool,
    reason: str,
) -> ImportReport:
    """Parse every row's cells, check every row, and write them all unless `dry_run` or any
    row has an error. `rows` map column names to cell values; a column left out takes its
    default."""
    report = ImportReport(rows=len(rows))
    parsed = [_parse(row) for row in rows]
    plan = ImportPlan(commune=commune, actor=actor, today=timezone.localdate(), reason=reason)
    actions = Counter()
    try:
        with transaction.atomic():
            plan.load([values.get("cccd") for values, _problems in parsed], numbers)
            for number, (values, problems) in zip(numbers, parsed, strict=True):
                actions[plan.check_row(number, values, problems)] += 1
                for name, message in problems.items():
                    report.errors.append(RowError(number, columns.header_of(name), message))
            if not report.errors and not dry_run:
                plan.write()
    except IntegrityError:
        report.errors = [
            RowError(
                0,
                "",
                _(
                    "Danh sách vừa được thay đổi đồng thời (một Tổ trưởng hoặc một người vừa "
                    "được ghi nhận ở nơi khác): chưa nhập dòng nào. Kiểm tra lại tệp rồi nhập lại."
                ),
            )
        ]
    except DatabaseError as exc:
        report.errors = [
            RowError(
                0,
                "",
                _("Lỗi khi nhập, chưa nhập dòng nào: %(error)s") % {"error": excerpt(exc, 200)},
            )
        ]
    report.preview = plan.preview
    if not report.errors:
        report.created, report.updated, report.unchanged = (
            actions[NEW],
            actions[UPDATE],
            actions[SKIP],
        )
        report.imported = not dry_run
    return report


def _parse(row: dict) -> tuple[dict, Problems]:
    """The row's cells as values; a cell that cannot be read is reported on its field."""
    values, problems = {}, Problems()
    for name, column in BY_NAME.items():
        if name not in row:
            values[name] = column.default
            continue
        try:
            values[name] = column.read(row[name])
        except ValueError as exc:
            problems.add(name, str(exc))
            values[name] = column.read(None)  # as if blank: reported once, not as missing
    return values, problems


@dataclass
class ImportPlan:
    commune: AdministrativeUnit
    actor: User | None
    today: datetime.date
    reason: str = HISTORY_REASON
    teams_by_key: dict = field(default_factory=dict)
    team_names: list[str] = field(default_factory=list)
    persons: dict[str, Person] = field(default_factory=dict)
    active: dict[int, Membership] = field(default_factory=dict)  # person id → membership
    last_end: dict[int, datetime.date] = field(default_factory=dict)
    sizes: Counter = field(default_factory=Counter)
    leaders: dict[int, tuple[int | str, str]] = field(default_factory=dict)  # team → (id, name)
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    quotas: dict = field(default_factory=dict)
    params: object = None
    new_persons: list[Person] = field(default_factory=list)
    changed_persons: dict[int, Person] = field(default_factory=dict)
    new_memberships: list[Membership] = field(default_factory=list)
    changed_memberships: dict[int, Membership] = field(default_factory=dict)
    demoted_leaders: set[int] = field(default_factory=set)
    preview: list[PreviewRow] = field(default_factory=list)

    def load(self, cccds: list[str | None], excel_rows: list[int]) -> None:
        """Everything the rows are checked against, in a handful of queries. `cccds`: the
        CCCD number of each row (Excel row `excel_rows[i]`), as read."""
        commune = self.commune
        teams = list(commune.teams.filter(status=TeamStatus.ACTIVE).prefetch_related("areas"))
        for team in teams:
            team.commune = commune
            self.teams_by_key.setdefault(key(team.name), team)
        for team in teams:  # an area's name finds the team that covers it
            for area in team.areas.all():
                self.teams_by_key.setdefault(key(area.name), team)
        self.team_names = sorted(t.name for t in teams)

        rows_by_cccd = defaultdict(list)
        for number, cccd in zip(excel_rows, cccds, strict=True):
            if cccd:
                rows_by_cccd[cccd].append(number)
        self.duplicates = {k: v for k, v in rows_by_cccd.items() if len(v) > 1}
        numbers = list(rows_by_cccd)
        for chunk in range(0, len(numbers), 2000):
            for person in Person.objects.filter(cccd__in=numbers[chunk : chunk + 2000]):
                self.persons[person.cccd] = person
        ids = [p.pk for p in self.persons.values()]
        for chunk in range(0, len(ids), 2000):
            part = ids[chunk : chunk + 2000]
            for m in Membership.objects.filter(
                person_id__in=part, end_date__isnull=True
            ).select_related("team__commune"):
                self.active[m.person_id] = m
            for person_id, last in (
                Membership.objects.filter(person_id__in=part, end_date__isnull=False)
                .values_list("person_id")
                .annotate(last=Max("end_date"))
            ):
                self.last_end[person_id] = last
        for team_id, size in (
            Membership.objects.filter(team__in=teams, end_date__isnull=True)
            .values_list("team_id")
            .annotate(n=Count("pk"))
        ):
            self.sizes[team_id] = size
        for m in Membership.objects.filter(
            team__in=teams, end_date__isnull=True, role=TeamRole.TO_TRUONG.value
        ).select_related("person"):
            self.leaders[m.team_id] = (m.pk, m.person.full_name)
        self.params = selectors.quota_parameters([commune.jurisdiction])

    def quota(self, team: Team, on: datetime.date) -> selectors.QuotaOutcome:
        if (team.pk, on) not in self.quotas:
            self.quotas[(team.pk, on)] = selectors.quota_for_areas(
                commune=self.commune, areas=list(team.areas.all()), on=on, params=self.params
            )
        return self.quotas[(team.pk, on)]

    def visible(self, unit: AdministrativeUnit) -> bool:
        return self.actor is None or can(self.actor, unit, Perm.VIEW)

    def team_not_found(self, value: str) -> str:
        names = ", ".join(self.team_names[:TEAMS_NAMED]) or _("chưa có Tổ nào")
        more = len(self.team_names) - TEAMS_NAMED
        if more > 0:
            names += " " + ngettext("và %(n)s Tổ khác", "và %(n)s Tổ khác", more) % {"n": more}
        return _(
            "Không tìm thấy Tổ «%(value)s» ở %(unit)s: nhập đúng tên Tổ hoặc tên khu dân cư "
            "(các Tổ hiện có: %(names)s). Tổ mới thành lập trên trang của xã trước."
        ) % {"value": excerpt(value), "unit": self.commune.label, "names": names}

    def check_row(self, number: int, values: dict, problems: Problems) -> str:
        """Check one row (cells already parsed into `values`, their problems in `problems`);
        plan what it writes. Returns what the row does (NEW, UPDATE, SKIP) or INVALID."""
        commune = self.commune
        if values["commune"] and key(values["commune"]) not in {
            key(commune.name),
            key(commune.label),
            commune.code,
        }:
            problems.add(
                "commune",
                _("Dòng này thuộc «%(value)s», không phải %(unit)s.")
                % {"value": excerpt(values["commune"]), "unit": commune.label},
            )
        if any(values[column.name] for column in columns.END):
            problems.add(
                "end_date",
                _(
                    "Nhập từ Excel chỉ ghi nhận thành viên đang tham gia: xóa các cột thôi tham "
                    "gia (ghi nhận thôi tham gia trên trang của thành viên)."
                ),
            )
        team = None
        if not values["team"]:
            problems.add("team", _("Chưa nhập Tổ (tên Tổ hoặc tên khu dân cư mà Tổ phụ trách)."))
        else:
            team = self.teams_by_key.get(key(values["team"]))
            if team is None:
                problems.add("team", self.team_not_found(values["team"]))
        person_data = PersonData(**{e.name: values[e.name] for e in PERSON_FIELDS})
        membership_data = MembershipData(**{e.name: values[e.name] for e in MEMBERSHIP_FIELDS})

        if not problems.by_field.get("cccd") and person_data.cccd in self.duplicates:
            others = [r for r in self.duplicates[person_data.cccd] if r != number]
            problems.add(
                "cccd",
                _("Số CCCD %(cccd)s trùng với dòng %(rows)s trong tệp: mỗi người chỉ một dòng.")
                % {"cccd": person_data.cccd, "rows": ", ".join(map(str, others))},
            )
        # Cells that failed to parse are already reported; do not report them again as missing.
        for name, message in check_person(person_data, today=self.today).items():
            if name not in problems.by_field:
                problems.add(name, message)

        existing = self.persons.get(person_data.cccd)
        active = self.active.get(existing.pk) if existing else None
        update = active is not None and team is not None and active.team_id == team.pk
        membership_checks = check_membership(
            person_data,
            membership_data,
            commune=commune,
            today=self.today,
            check_start=not update or membership_data.start_date != active.start_date,
        )
        for name, message in membership_checks.items():
            if name not in problems.by_field:
                problems.add(name, message)

        if team is not None:
            if active is not None and not update:
                problems.add(
                    "cccd",
                    active_elsewhere_message(
                        active, visible=self.visible(active.team.commune), same_team=False
                    ),
                )
            last = self.last_end.get(existing.pk) if existing else None
            start = membership_data.start_date
            if not update and last and start and start <= last:
                problems.add(
                    "start_date",
                    _(
                        "Người này thôi tham gia Tổ trước đó ngày %(end)s: ngày bắt đầu phải sau "
                        "ngày đó."
                    )
                    % {"end": format_date(last)},
                )
            self._check_leader(
                team, membership_data.role, active if update else None, number, problems
            )
            if not update and start is not None:
                # Rows with other errors are checked against the quota too (so that every error
                # shows at once), but only valid rows take a place in the team.
                size = self.sizes[team.pk] + 1
                quota = self.quota(team, start)
                if (
                    quota.members is not None
                    and size > quota.members
                    and not membership_data.over_quota_reason
                ):
                    problems.add(
                        "over_quota_reason",
                        quota_message(team.name, quota.members, quota.result.citation, size),
                    )
                if not problems:
                    self.sizes[team.pk] = size
        if problems:
            return INVALID
        return self._plan(
            number, team, existing, active if update else None, person_data, membership_data
        )

    def _check_leader(self, team, role, membership, number, problems) -> None:
        """One Tổ trưởng per team, counting the rows of the file as well as the roster."""
        current = self.leaders.get(team.pk)
        own = membership.pk if membership else None
        if role == TeamRole.TO_TRUONG:
            if current and current[0] != own:
                problems.add("role", leader_message(team.name, current[1]))
            elif not problems:
                self.leaders[team.pk] = (own or f"row{number}", f"dòng {number} của tệp")
        elif current and own is not None and current[0] == own:
            # The current leader's row gives them another role: the post becomes free.
            del self.leaders[team.pk]
            self.demoted_leaders.add(own)

    def _plan(self, number, team, existing, membership, person_data, membership_data) -> str:
        if existing is None:
            person = Person()
            person_data.apply_to(person)
            person.search_name = selectors.person_search_name(person.full_name)
            self.new_persons.append(person)
            person_changed = True
        else:
            person = self.changed_persons.get(existing.pk, existing)
            person_changed = bool(person_data.apply_to(person))
            if person_changed:
                person.search_name = selectors.person_search_name(person.full_name)
                self.changed_persons[person.pk] = person
        if membership is None:
            row = Membership(team=team, person=person)
            membership_data.apply_to(row)
            self.new_memberships.append(row)
            action = NEW
        elif membership_data.apply_to(membership):
            self.changed_memberships[membership.pk] = membership
            action = UPDATE
        else:
            action = UPDATE if person_changed else SKIP
        self.preview.append(
            PreviewRow(
                number,
                person_data.full_name,
                person_data.cccd,
                team.name,
                role_label(membership_data.role),
                action,
            )
        )
        return action

    def write(self) -> None:
        """Write what the rows planned: people first, then memberships, every row with its
        history (who, when, "Nhập từ Excel")."""
        history = {"default_user": self.actor, "default_change_reason": self.reason}
        now = timezone.now()
        for person in self.new_persons:
            person.created_at = person.updated_at = now
        if self.new_persons:
            bulk_create_with_history(self.new_persons, Person, batch_size=1000, **history)
        if self.changed_persons:
            people = list(self.changed_persons.values())
            for person in people:
                person.version += 1
                person.updated_at = now
            bulk_update_with_history(
                people,
                Person,
                fields=[*(e.name for e in PERSON_FIELDS), "search_name", "version", "updated_at"],
                batch_size=1000,
                **history,
            )
        if self.changed_memberships:
            rows = list(self.changed_memberships.values())
            for m in rows:
                m.version += 1
                m.updated_at = now
            # Former leaders first, so that the new leader never meets them in the index.
            for batch in (
                [m for m in rows if m.pk in self.demoted_leaders],
                [m for m in rows if m.pk not in self.demoted_leaders],
            ):
                if batch:
                    bulk_update_with_history(
                        batch,
                        Membership,
                        fields=[*(e.name for e in MEMBERSHIP_FIELDS), "version", "updated_at"],
                        batch_size=1000,
                        **history,
                    )
        if self.new_memberships:
            for m in self.new_memberships:
                m.person_id = m.person.pk
                m.created_at = m.updated_at = now
            bulk_create_with_history(self.new_memberships, Membership, batch_size=1000, **history)
