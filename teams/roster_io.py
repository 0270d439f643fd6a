"""Roster workbooks (Excel .xlsx): the blank template, the export of any filtered list, and the
all-or-nothing import, built on django-import-export.

`RosterResource` declares the columns once, with their Vietnamese headers and widgets; it
exports memberships and imports rows. An import row is a person and their appointment; it is
checked with `teams.validation` (the same rules as the browser forms) plus what only a whole
file can reveal (the same CCCD twice, two Tổ trưởng for one team, a team filled beyond its
quota by several rows). Any error anywhere and nothing is written: `import_data` runs in one
transaction that is rolled back when a row is invalid.

Limits (checked before the rows are parsed where possible):

- ``MAX_FILE_BYTES`` (10 MB) for the upload and ``MAX_UNPACKED_BYTES`` for the unzipped
  workbook, against "zip bombs";
- ``MAX_ROWS`` (10,000) data rows per file. A commune has a few hundred members at most, so
  the limit only stops wrong files (a whole province's export, a sheet of 100,000 rows) while
  leaving room for a large commune's full history. Rows are counted while streaming and
  reading stops at the first row over the limit, so a 100,000-row file is refused after
  reading 10,001 rows, not all of them.

Row numbers in messages are Excel's (the header is row 1, the first member row 2). File-level
problems (not an .xlsx file, too large, empty) are reported with row 0.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import tablib
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.results import RowResult
from import_export.widgets import Widget
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.formatting import format_date, format_number
from core.forms import DATE_INPUT_FORMATS
from rules import cccd as cccd_rules
from rules.base import TeamRole

from . import selectors
from .access import Perm, can
from .models import (
    ETHNICITY_CHOICES,
    POST_CHOICES,
    ROLE_CHOICES,
    AdministrativeUnit,
    Education,
    EducationException,
    EndGround,
    HouseholdStatus,
    Membership,
    Person,
    ResidenceType,
    Sex,
    Team,
    TeamStatus,
    User,
    search_key,
)
from .validation import (
    MembershipData,
    PersonData,
    Problems,
    active_elsewhere_message,
    check_membership,
    check_person,
    leader_message,
    quota_message,
)

MAX_ROWS = 10_000  # defaults of settings.ROSTER_IMPORT_MAX_ROWS / ROSTER_IMPORT_MAX_BYTES
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 150 * 1024 * 1024
SHEET_NAME = "Danh sách"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_REASON = "Nhập từ Excel"


class ImportFileError(Exception):
    """The file as a whole cannot be read as a roster; the message says why, in Vietnamese."""


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return " ".join(search_key(text).split())


def max_rows() -> int:
    """Data rows accepted in one file (settings.ROSTER_IMPORT_MAX_ROWS)."""
    from django.conf import settings

    return int(getattr(settings, "ROSTER_IMPORT_MAX_ROWS", MAX_ROWS))


def max_file_bytes() -> int:
    """Size of an accepted upload (settings.ROSTER_IMPORT_MAX_BYTES)."""
    from django.conf import settings

    return int(getattr(settings, "ROSTER_IMPORT_MAX_BYTES", MAX_FILE_BYTES))


def max_file_mb() -> str:
    return format_number(max(1, round(max_file_bytes() / 1024 / 1024)))


def key(text) -> str:
    """How headers, team names and list values are compared: no case, no diacritics."""
    return _key(str(text)) if text is not None else ""


# --- Widgets: cells ↔ values, with Vietnamese messages ----------------------------------------


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())


class CccdWidget(TextWidget):
    """Numbers typed into a cell formatted as a number lose their leading zero; every CCCD
    starts with 0 (province codes 001–096), so an 11-digit number cell gets it back."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and len(str(value)) == cccd_rules.LENGTH - 1:
            return f"{value:0{cccd_rules.LENGTH}d}"
        return cccd_rules.normalize(super().clean(value))


class DateWidget(Widget):
    """Real Excel dates, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy,
    yyyy-mm-dd). Exported as text dd/mm/yyyy, the way officers read dates."""

    FORMATS = [*DATE_INPUT_FORMATS, "%d.%m.%Y"]  # the forms' formats, and dots
    DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and 1 <= value < 80_000:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        text = str(value).strip()
        if match := self.DMY.match(text):  # the common case, without strptime
            day, month, year = map(int, match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("«%(text)s» không phải ngày hợp lệ: nhập dạng ngày/tháng/năm, ví dụ 05/07/2024.")
            % {"text": text}
        )

    def render(self, value, obj=None, **kwargs):
        return format_date(value)


class ChoiceWidget(Widget):
    """A label from a fixed list, matched without case or diacritics ("to truong" =
    "Tổ trưởng"); the stored value is also accepted."""

    def __init__(self, choices, *, aliases=None, blank=""):
        super().__init__()
        self.choices = list(choices)
        self.labels = {value: str(label) for value, label in self.choices}
        self.lookup = {}
        for value, label in self.choices:
            self.lookup[key(label)] = value
            self.lookup[key(value)] = value
        for alias, value in (aliases or {}).items():
            self.lookup[key(alias)] = value
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            return self.blank
        found = self.lookup.get(key(text))
        if found is None:
            options = ", ".join(self.labels.values())
            if len(options) > 200:
                options = options[:200] + "…"
            raise ValueError(
                _("«%(text)s» không hợp lệ: chọn một trong: %(options)s.")
                % {"text": text, "options": options}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class PostsWidget(ChoiceWidget):
    """Several posts in one cell, separated by ";" (or new lines)."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value)
        posts = []
        for part in text.replace("\n", ";").split(";"):
            if part.strip():
                posts.append(super().clean(part))
        return posts

    def render(self, value, obj=None, **kwargs):
        return "; ".join(self.labels.get(v, v) for v in value or [])


SEX = ChoiceWidget(Sex.choices)
ROLE = ChoiceWidget(ROLE_CHOICES)
EDUCATION = ChoiceWidget(
    Education.choices,
    aliases={"THCS": "thcs", "THPT": "thpt", "cấp 2": "thcs", "cấp 3": "thpt", "cấp 1": "tieu_hoc"},
)
HOUSEHOLD = ChoiceWidget(
    HouseholdStatus.choices,
    aliases={"Nghèo": "ngheo", "Cận nghèo": "can_ngheo", "Không": "khac"},
    blank=HouseholdStatus.KHAC.value,
)
RESIDENCE = ChoiceWidget(ResidenceType.choices)
ETHNICITY = ChoiceWidget(
    ETHNICITY_CHOICES,
    aliases={
        "Khơ-me": "Khmer",
        "Khơ me": "Khmer",
        "H'Mông": "Mông",
        "Hmông": "Mông",
        "Mèo": "Mông",
    },
)
EXCEPTION = ChoiceWidget(EducationException.choices)
POSTS = PostsWidget(POST_CHOICES)
END_GROUND = ChoiceWidget(EndGround.choices)


# --- Columns --------------------------------------------------------------------------------

PERSON_COLUMNS = [
    "full_name",
    "birth_date",
    "sex",
    "cccd",
    "phone",
    "ethnicity",
    "education",
    "household_status",
    "residence_type",
    "residence_address",
    "residence_since",
]
MEMBERSHIP_COLUMNS = [
    "role",
    "start_date",
    "appointment_number",
    "appointment_date",
    "concurrent_posts",
    "education_exception",
    "over_70_approval_number",
    "over_70_approval_date",
    "over_quota_reason",
]
END_COLUMNS = ["end_date", "end_ground", "end_decision_number", "end_decision_date"]
EXPORT_ORDER = ["commune", "team", *PERSON_COLUMNS, *MEMBERSHIP_COLUMNS, *END_COLUMNS]
# Columns an import file must have (the others may be left out).
REQUIRED_COLUMNS = [
    "team",
    "full_name",
    "birth_date",
    "sex",
    "cccd",
    "ethnicity",
    "education",
    "residence_type",
    "residence_address",
    "residence_since",
    "role",
    "start_date",
]
# Accepted and ignored: the row number officers keep in their sheets.
IGNORED_HEADERS = {"stt", "so thu tu"}


class RosterResource(resources.ModelResource):
    """One row per membership. Export: any list of memberships. Import: see the module
    docstring; call through `import_roster`, which reads and checks the workbook first."""

    commune = Field(attribute="team__commune__name", column_name="Xã, phường", widget=TextWidget())
    team = Field(attribute="team__name", column_name="Tổ bảo vệ ANTT", widget=TextWidget())
    full_name = Field(attribute="person__full_name", column_name="Họ và tên", widget=TextWidget())
    birth_date = Field(attribute="person__birth_date", column_name="Ngày sinh", widget=DateWidget())
    sex = Field(attribute="person__sex", column_name="Giới tính", widget=SEX)
    cccd = Field(attribute="person__cccd", column_name="Số CCCD", widget=CccdWidget())
    phone = Field(attribute="person__phone", column_name="Số điện thoại", widget=TextWidget())
    ethnicity = Field(attribute="person__ethnicity", column_name="Dân tộc", widget=ETHNICITY)
    education = Field(
        attribute="person__education", column_name="Trình độ học vấn", widget=EDUCATION
    )
    household_status = Field(
        attribute="person__household_status", column_name="Hoàn cảnh hộ", widget=HOUSEHOLD
    )
    residence_type = Field(
        attribute="person__residence_type", column_name="Hình thức cư trú", widget=RESIDENCE
    )
    residence_address = Field(
        attribute="person__residence_address", column_name="Địa chỉ cư trú", widget=TextWidget()
    )
    residence_since = Field(
        attribute="person__residence_since", column_name="Cư trú từ ngày", widget=DateWidget()
    )
    role = Field(attribute="role", column_name="Chức danh", widget=ROLE)
    start_date = Field(attribute="start_date", column_name="Ngày bắt đầu", widget=DateWidget())
    appointment_number = Field(
        attribute="appointment_number", column_name="Số QĐ công nhận", widget=TextWidget()
    )
    appointment_date = Field(
        attribute="appointment_date", column_name="Ngày QĐ công nhận", widget=DateWidget()
    )
    concurrent_posts = Field(attribute="concurrent_posts", column_name="Kiêm nhiệm", widget=POSTS)
    education_exception = Field(
        attribute="education_exception",
        column_name="Vùng áp dụng trình độ tiểu học",
        widget=EXCEPTION,
    )
    over_70_approval_number = Field(
        attribute="over_70_approval_number",
        column_name="Số VB chấp thuận trên 70 tuổi",
        widget=TextWidget(),
    )
    over_70_approval_date = Field(
        attribute="over_70_approval_date",
        column_name="Ngày VB chấp thuận trên 70 tuổi",
        widget=DateWidget(),
    )
    over_quota_reason = Field(
        attribute="over_quota_reason", column_name="Lý do vượt định mức", widget=TextWidget()
    )
    end_date = Field(attribute="end_date", column_name="Ngày thôi tham gia", widget=DateWidget())
    end_ground = Field(
        attribute="end_ground", column_name="Căn cứ thôi tham gia", widget=END_GROUND
    )
    end_decision_number = Field(
        attribute="end_decision_number", column_name="Số QĐ thôi tham gia", widget=TextWidget()
    )
    end_decision_date = Field(
        attribute="end_decision_date", column_name="Ngày QĐ thôi tham gia", widget=DateWidget()
    )

    class Meta:
        model = Membership
        fields = EXPORT_ORDER
        export_order = EXPORT_ORDER
        import_id_fields = ()
        # No savepoint per row: rows are only checked during the loop and written together
        # in `after_import`, inside the one transaction of `import_data`.
        use_bulk = True
        skip_diff = True

    # ----- Import ---------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Load, in a handful of queries, everything the rows will be checked against."""
        self.plan = ImportPlan(
            commune=kwargs["commune"],
            actor=kwargs.get("actor"),
            excel_rows=kwargs["excel_rows"],
            today=timezone.localdate(),
            history_reason=kwargs.get("history_reason", HISTORY_REASON),
        )
        self.plan.load(dataset, self.fields["cccd"])

    def import_row(self, row, instance_loader, **kwargs):
        plan: ImportPlan = self.plan
        number = plan.excel_rows[kwargs["row_number"] - 1]
        row_result = self.get_row_result_class()()
        problems = Problems()
        values = {}
        for name in [*PERSON_COLUMNS, *MEMBERSHIP_COLUMNS, "team", "commune", *END_COLUMNS]:
            f = self.fields[name]
            if f.column_name not in row:
                values[name] = None
                continue
            try:
                values[name] = f.widget.clean(row[f.column_name])
            except ValueError as exc:
                problems.add(name, str(exc))
                values[name] = None
        action = plan.check_row(number, values, problems)
        if problems:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = problems.error()
        else:
            row_result.import_type = action
        return row_result

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_validation_errors() or result.has_errors():
            return
        self.plan.write()

    def column_of(self, name: str) -> str:
        if name in self.fields:
            return self.fields[name].column_name
        return ""


# --- The plan: facts loaded once, rows checked against them, then written in bulk --------------


@dataclass
class PreviewRow:
    row: int
    name: str
    cccd: str
    team: str
    role: str
    action: str  # "new", "update", "skip"


@dataclass
class ImportPlan:
    commune: AdministrativeUnit
    actor: User | None
    excel_rows: list[int]
    today: datetime.date
    history_reason: str = HISTORY_REASON
    teams_by_key: dict = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    active: dict[int, Membership] = field(default_factory=dict)  # person id → membership
    last_end: dict[int, datetime.date] = field(default_factory=dict)
    sizes: Counter = field(default_factory=Counter)
    leaders: dict[int, tuple[int, str]] = field(default_factory=dict)  # team → (membership, name)
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    quotas: dict = field(default_factory=dict)
    params: object = None
    new_persons: list[Person] = field(default_factory=list)
    changed_persons: dict[int, Person] = field(default_factory=dict)
    new_memberships: list[Membership] = field(default_factory=list)
    changed_memberships: dict[int, Membership] = field(default_factory=dict)
    demoted_leaders: set[int] = field(default_factory=set)
    preview: list[PreviewRow] = field(default_factory=list)

    def load(self, dataset, cccd_field) -> None:
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
        column = cccd_field.column_name
        if column in dataset.headers:
            for i, value in enumerate(dataset[column]):
                try:
                    number = cccd_field.widget.clean(value)
                except ValueError:
                    continue
                if number:
                    rows_by_cccd[number].append(self.excel_rows[i])
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

    def check_row(self, number: int, values: dict, problems: Problems) -> str:
        """Check one row (cells already parsed into `values`); plan what it writes. Returns
        the import type ("new", "update", "skip")."""
        commune = self.commune
        if values.get("commune") and key(values["commune"]) not in {
            key(commune.name),
            key(commune.label),
            commune.code,
        }:
            problems.add(
                "commune",
                _("Dòng này thuộc «%(value)s», không phải %(unit)s.")
                % {"value": values["commune"], "unit": commune.label},
            )
        if any(values.get(name) for name in END_COLUMNS):
            problems.add(
                "end_date",
                _(
                    "Nhập từ Excel chỉ ghi nhận thành viên đang tham gia: xóa các cột thôi tham "
                    "gia (ghi nhận thôi tham gia trên trang của thành viên)."
                ),
            )
        team = None
        if not values.get("team"):
            problems.add("team", _("Chưa nhập Tổ (tên Tổ hoặc tên khu dân cư mà Tổ phụ trách)."))
        else:
            team = self.teams_by_key.get(key(values["team"]))
            if team is None:
                names = ", ".join(self.team_names[:8]) or _("chưa có Tổ nào")
                problems.add(
                    "team",
                    _(
                        "Không tìm thấy Tổ «%(value)s» ở %(unit)s: nhập đúng tên Tổ hoặc tên khu "
                        "dân cư (các Tổ hiện có: %(names)s). Tổ mới thành lập trên trang của xã "
                        "trước."
                    )
                    % {"value": values["team"], "unit": commune.label, "names": names},
                )
        person_data = PersonData(**{n: values.get(n) or "" for n in PERSON_COLUMNS})
        for n in ("birth_date", "residence_since"):
            setattr(person_data, n, values.get(n))
        if values.get("household_status") is None:  # column left out: "Khác"
            person_data.household_status = HouseholdStatus.KHAC.value
        membership_data = MembershipData(
            **{n: values.get(n) or "" for n in MEMBERSHIP_COLUMNS if n != "concurrent_posts"}
            | {"concurrent_posts": values.get("concurrent_posts") or []}
        )
        for n in ("start_date", "appointment_date", "over_70_approval_date"):
            setattr(membership_data, n, values.get(n))

        if not problems.by_field.get("cccd") and person_data.cccd in self.duplicates:
            others = [r for r in self.duplicates[person_data.cccd] if r != number]
            problems.add(
                "cccd",
                _("Số CCCD %(cccd)s trùng với dòng %(rows)s trong tệp: mỗi người chỉ một dòng.")
                % {"cccd": person_data.cccd, "rows": ", ".join(map(str, others))},
            )
        # Cells that failed to parse are already reported; do not report them again as missing.
        parsed = check_person(person_data, today=self.today)
        for name, message in parsed.items():
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
            return RowResult.IMPORT_TYPE_INVALID
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
            action = RowResult.IMPORT_TYPE_NEW
        elif membership_data.apply_to(membership):
            self.changed_memberships[membership.pk] = membership
            action = RowResult.IMPORT_TYPE_UPDATE
        else:
            action = RowResult.IMPORT_TYPE_UPDATE if person_changed else RowResult.IMPORT_TYPE_SKIP
        self.preview.append(
            PreviewRow(
                number,
                person_data.full_name,
                person_data.cccd,
                team.name,
                TeamRole(membership_data.role).label,
                action,
            )
        )
        return action

    def write(self) -> None:
        """Write what the rows planned: people first, then memberships, every row with its
        history (who, when, "Nhập từ Excel")."""
        history = {"default_user": self.actor, "default_change_reason": self.history_reason}
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
                fields=[*PERSON_COLUMNS, "search_name", "version", "updated_at"],
                batch_size=1000,
                **history,
            )
        if self.changed_memberships:
            rows = list(self.changed_memberships.values())
            # Former leaders first, so that the new leader never meets them in the index.
            rows.sort(key=lambda m: m.pk not in self.demoted_leaders)
            for m in rows:
                m.version += 1
                m.updated_at = now
            for batch in (
                [m for m in rows if m.pk in self.demoted_leaders],
                [m for m in rows if m.pk not in self.demoted_leaders],
            ):
                if batch:
                    bulk_update_with_history(
                        batch,
                        Membership,
                        fields=[*MEMBERSHIP_COLUMNS, "version", "updated_at"],
                        batch_size=1000,
                        **history,
                    )
        if self.new_memberships:
            for m in self.new_memberships:
                m.person_id = m.person.pk
                m.created_at = m.updated_at = now
            bulk_create_with_history(self.new_memberships, Membership, batch_size=1000, **history)


# --- Reading the workbook -------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]  # the resource's column names, in the file's order
    rows: list[tuple]
    row_numbers: list[int]  # Excel row number of each row


def _column_names() -> dict[str, str]:
    resource = RosterResource()
    return {key(f.column_name): f.column_name for f in resource.fields.values()}


def read_workbook(content: bytes) -> tuple[Table, list[RowError]]:
    """Open the workbook and check its columns. Raises ImportFileError for a file that is not
    a roster workbook; returns the table and column errors (row 1) otherwise."""
    if not content:
        raise ImportFileError(_("Tệp trống (0 byte)."))
    if len(content) > max_file_bytes():
        raise ImportFileError(
            _("Tệp quá lớn (%(size)s MB): tối đa %(max)s MB. Chia danh sách thành nhiều tệp.")
            % {
                "size": f"{len(content) / 1024 / 1024:.1f}".replace(".", ","),
                "max": max_file_mb(),
            }
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Đây là tệp Excel 97-2003 (.xls). Mở tệp bằng Excel, chọn Lưu thành (Save As) "
                "«Excel Workbook (.xlsx)» rồi tải lên lại."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(
            _(
                "Tệp không phải tệp Excel .xlsx (có thể là CSV, Word hoặc PDF). Dùng tệp mẫu "
                "tải về từ hệ thống."
            )
        ) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _(
                "Tệp không phải bảng tính Excel .xlsx (có thể là tệp Word, OpenDocument hoặc "
                "tệp nén). Dùng tệp mẫu tải về từ hệ thống."
            )
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("Tệp giải nén quá lớn: không phải một danh sách Tổ bảo vệ ANTT."))

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(
            _("Không đọc được tệp Excel: tệp bị hỏng hoặc có mật khẩu.")
        ) from None
    limit = max_rows()
    try:
        sheet = _roster_sheet(book)
        _check_sheet_xml(archive, sheet)
        # Some programs write a wrong <dimension> (or none); read what is really there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(_blank(v) for v in header):
            raise ImportFileError(
                "Tệp trống: dòng 1 phải là tiêu đề cột như trong tệp mẫu, từ dòng 2 là thành viên."
            )
        table, errors = _headers(header)
        width = len(header)
        for number, values in enumerate(rows, start=2):
            if values is None or all(_blank(v) for v in values):
                continue
            if len(table.rows) >= limit:
                raise ImportFileError(
                    _(
                        "Tệp có hơn %(max)s dòng dữ liệu: mỗi lần nhập tối đa %(max)s dòng (một "
                        "xã, phường). Chia tệp hoặc kiểm tra lại có đúng tệp không."
                    )
                    % {"max": format_number(limit)}
                )
            values = tuple(values[:width]) + (None,) * (width - len(values))
            stray = [i for i in table.dropped if not _blank(values[i])]
            if stray:
                errors.append(
                    RowError(
                        number,
                        _("Cột %(n)s") % {"n": stray[0] + 1},
                        _("Ô có dữ liệu nhưng cột chưa có tiêu đề."),
                    )
                )
            table.rows.append(tuple(values[i] for i in table.kept))
            table.row_numbers.append(number)
    finally:
        book.close()
    if not table.rows:
        raise ImportFileError(_("Tệp không có dòng thành viên nào (chỉ có dòng tiêu đề)."))
    return table, errors


def _roster_sheet(book):
    """The sheet «Danh sách»; otherwise the sheet whose first row has the most of the
    template's column titles. A workbook of several sheets none of which has them is refused
    with their names (the officer uploaded the wrong file or put the list on another sheet)."""
    if SHEET_NAME in book.sheetnames:
        return book[SHEET_NAME]
    sheets = book.worksheets
    if len(sheets) == 1:
        return sheets[0]
    known = _column_names()
    best, best_score = sheets[0], 0
    for sheet in sheets:
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None) or ()
        score = sum(1 for v in header if not _blank(v) and key(v) in known)
        if score > best_score:
            best, best_score = sheet, score
    if best_score == 0:
        raise ImportFileError(
            _(
                "Không tìm thấy trang danh sách: không trang nào (%(names)s) có dòng 1 là tiêu "
                "đề cột như tệp mẫu. Đặt danh sách vào trang «%(sheet)s» của tệp mẫu rồi tải "
                "lên lại."
            )
            % {"names": ", ".join(f"«{s.title}»" for s in sheets), "sheet": SHEET_NAME}
        )
    return best


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def _check_sheet_xml(archive: zipfile.ZipFile, sheet) -> None:
    """What openpyxl's streaming reader hides: merged cells (only the first cell keeps the
    value, so the other rows would silently lose it) and formulas without a computed value
    (a file written by a program that does not calculate: the cell reads as empty)."""
    path = getattr(sheet, "_worksheet_path", "").lstrip("/")
    if not path or path not in archive.namelist():
        return
    xml = archive.read(path)
    if b"<mergeCell " in xml:
        ranges = [m.decode() for m in _MERGE.findall(xml)]
        raise ImportFileError(
            _(
                "Trang «%(sheet)s» có ô gộp (Merge) ở %(ranges)s: ô gộp chỉ giữ giá trị ở ô đầu "
                "nên các dòng khác sẽ bị thiếu. Chọn cả trang, bỏ gộp ô (Unmerge Cells), ghi "
                "giá trị vào từng dòng rồi tải lên lại."
            )
            % {
                "sheet": sheet.title,
                "ranges": ", ".join(ranges[:5]) + ("…" if len(ranges) > 5 else ""),
            }
        )
    if b"<f>" in xml or b"<f " in xml:
        empty = [
            ref.decode()
            for ref, body in _CELL.findall(xml)
            if body and (b"<f>" in body or b"<f " in body) and b"<v>" not in body
        ]
        if empty:
            raise ImportFileError(
                _(
                    "Ô %(cells)s chứa công thức chưa được tính ra giá trị (tệp do chương trình "
                    "khác tạo). Mở tệp bằng Excel và lưu lại, hoặc sao chép rồi dán giá trị "
                    "(Paste Values) thay cho công thức, rồi tải lên lại."
                )
                % {"cells": ", ".join(empty[:5]) + ("…" if len(empty) > 5 else "")}
            )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Table(Table):
    kept: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # no header: data there is an error
    ignored: list[int] = field(default_factory=list)  # STT, or already reported in row 1


def _headers(header) -> tuple[_Table, list[RowError]]:
    known = _column_names()
    table = _Table(headers=[], rows=[], row_numbers=[])
    errors = []
    seen = {}
    for i, value in enumerate(header):
        if _blank(value):
            table.dropped.append(i)
            continue
        k = key(value)
        if k in IGNORED_HEADERS:
            table.ignored.append(i)
            continue
        name = known.get(k)
        if name is None:
            errors.append(
                RowError(
                    1,
                    str(value),
                    _("Cột «%(value)s» không có trong tệp mẫu. Dùng đúng tiêu đề cột của tệp mẫu.")
                    % {"value": value},
                )
            )
            table.ignored.append(i)
            continue
        if name in seen:
            errors.append(
                RowError(1, str(value), _("Cột «%(name)s» xuất hiện hai lần.") % {"name": name})
            )
            table.ignored.append(i)
            continue
        seen[name] = i
        table.kept.append(i)
        table.headers.append(name)
    fields_ = RosterResource().fields
    for name in REQUIRED_COLUMNS:
        column = fields_[name].column_name
        if column not in seen:
            errors.append(
                RowError(1, column, _("Thiếu cột «%(name)s» (xem tệp mẫu).") % {"name": column})
            )
    return table, errors


# --- Running an import ----------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    imported: bool = False

    def as_json(self) -> dict:
        """The command's output: exactly these three keys."""
        return {
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "preview": [asdict(p) for p in self.preview],
            "imported": self.imported,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        return cls(
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(**e) for e in data.get("errors", [])],
            preview=[PreviewRow(**p) for p in data.get("preview", [])],
            imported=data.get("imported", False),
        )


def import_roster(
    *, commune: AdministrativeUnit, content: bytes, actor: User | None, dry_run: bool
) -> ImportReport:
    """Check (and unless `dry_run`, write) a roster workbook for `commune`: all rows or none."""
    try:
        table, column_errors = read_workbook(content)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(0, "", str(exc))])
    report = ImportReport(rows=len(table.rows))
    if column_errors:
        report.errors = column_errors
        return report
    dataset = tablib.Dataset(*table.rows, headers=table.headers)
    resource = RosterResource()
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            commune=commune,
            actor=actor,
            excel_rows=table.row_numbers,
        )
    for invalid in result.invalid_rows:
        number = table.row_numbers[invalid.number - 1]
        for name, messages in invalid.error_dict.items():
            for message in messages:
                report.errors.append(RowError(number, resource.column_of(name), message))
    for error in result.base_errors:
        report.errors.append(RowError(0, "", _base_error_message(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append(
                RowError(table.row_numbers[number - 1], "", _base_error_message(error.error))
            )
    report.errors.sort(key=lambda e: e.row)
    report.preview = resource.plan.preview if hasattr(resource, "plan") else []
    if not report.errors:
        report.created = result.totals[RowResult.IMPORT_TYPE_NEW]
        report.updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        report.unchanged = result.totals[RowResult.IMPORT_TYPE_SKIP]
        report.imported = not dry_run
    return report


def import_records(
    *, commune: AdministrativeUnit, records: list[dict], actor: User | None, reason: str
) -> ImportReport:
    """Rows given as values (field name → value) instead of a workbook, checked and written
    exactly like an import: for data entered in bulk by the system itself (the demo)."""
    resource = RosterResource()
    names = [*dict.fromkeys(name for record in records for name in record)]
    dataset = tablib.Dataset(
        *[tuple(record.get(name) for name in names) for record in records],
        headers=[resource.fields[name].column_name for name in names],
    )
    numbers = list(range(2, len(records) + 2))
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            use_transactions=True,
            rollback_on_validation_errors=True,
            commune=commune,
            actor=actor,
            excel_rows=numbers,
            history_reason=reason,
        )
    report = ImportReport(rows=len(records))
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            report.errors += [RowError(invalid.number + 1, name, m) for m in messages]
    report.errors += [RowError(0, "", str(e.error)) for e in result.base_errors]
    report.created = result.totals[RowResult.IMPORT_TYPE_NEW]
    return report


def _base_error_message(error: Exception) -> str:
    from django.db import IntegrityError

    if isinstance(error, IntegrityError):
        return _(
            "Danh sách vừa được thay đổi đồng thời (một Tổ trưởng hoặc một người vừa được ghi "
            "nhận ở nơi khác): chưa nhập dòng nào. Kiểm tra lại tệp rồi nhập lại."
        )
    return _("Lỗi khi nhập, chưa nhập dòng nào: %(error)s") % {"error": error}


# --- Workbooks out: the template and exports ------------------------------------------------

TEXT_COLUMNS = {"cccd", "phone", "appointment_number", "over_70_approval_number"}
DATE_COLUMNS = {
    "birth_date",
    "residence_since",
    "start_date",
    "appointment_date",
    "over_70_approval_date",
    "end_date",
    "end_decision_date",
}
WIDTHS = {"full_name": 24, "residence_address": 34, "team": 26, "commune": 20}


def _workbook(fields_, rows, *, title: str, with_lists: bool):
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append([f.column_name for _name, f in fields_])
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1D4F82")
    for i, (name, _f) in enumerate(fields_, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 16)
        if name in TEXT_COLUMNS or name in DATE_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        sheet.append(row)
        # Text typed by people is text: "=…" must not become a formula when the file opens.
        for i, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(row=number, column=i).data_type = "s"
    if with_lists:
        lists = book.create_sheet("Danh mục")
        columns = {
            "sex": SEX,
            "ethnicity": ETHNICITY,
            "education": EDUCATION,
            "household_status": HOUSEHOLD,
            "residence_type": RESIDENCE,
            "role": ROLE,
            "education_exception": EXCEPTION,
        }
        for j, (name, widget) in enumerate(columns.items(), start=1):
            labels = list(widget.labels.values())
            lists.cell(row=1, column=j, value=dict(fields_)[name].column_name)
            for r, label in enumerate(labels, start=2):
                lists.cell(row=r, column=j, value=label)
            letter = get_column_letter(j)
            target = next(i for i, (n, _f) in enumerate(fields_, start=1) if n == name)
            validation = DataValidation(
                type="list",
                formula1=f"='Danh mục'!${letter}$2:${letter}${len(labels) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error="Chọn một giá trị trong danh sách.",
            )
            validation.add(
                f"{get_column_letter(target)}2:{get_column_letter(target)}{max_rows() + 1}"
            )
            sheet.add_data_validation(validation)
        guide = book.create_sheet("Hướng dẫn")
        for line in GUIDE:
            guide.append([line.format(rows=format_number(max_rows()), mb=max_file_mb())])
        guide.column_dimensions["A"].width = 120
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GUIDE = [
    "NHẬP DANH SÁCH TỔ BẢO VỆ AN NINH, TRẬT TỰ TỪ EXCEL",
    "",
    "1. Mỗi dòng của trang «Danh sách» là một thành viên đang tham gia; dòng 1 là tiêu đề cột, giữ nguyên.",
    "2. Cột «Tổ bảo vệ ANTT»: tên Tổ đã thành lập trên hệ thống, hoặc tên khu dân cư mà Tổ phụ trách.",
    "3. Ngày ghi dạng ngày/tháng/năm, ví dụ 05/07/2024. Số CCCD đủ 12 chữ số (cột đã định dạng Văn bản).",
    "4. Các cột có danh sách chọn: xem trang «Danh mục». Kiêm nhiệm: nhiều chức danh cách nhau bởi dấu ;",
    "5. Người từ đủ 18 đến 70 tuổi vào ngày bắt đầu; trên 70 tuổi ghi số, ngày văn bản chấp thuận của Chủ tịch UBND xã.",
    "6. Cư trú tại địa phương ít nhất 01 năm; trình độ trung học cơ sở trở lên (tiểu học ở vùng ghi tại cột «Vùng áp dụng trình độ tiểu học»).",
    "7. Tổ đã đủ định mức thì ghi «Lý do vượt định mức» nếu vẫn bổ sung.",
    "8. Mỗi tệp tối đa {rows} dòng, {mb} MB.",
    "9. Hệ thống kiểm tra toàn bộ tệp trước; chỉ cần một dòng lỗi thì chưa nhập dòng nào. Sửa các lỗi được liệt kê rồi tải lên lại.",
    "10. Người đã có trong danh sách của Tổ (cùng số CCCD) thì dòng đó cập nhật thông tin của người đó.",
    "",
    "Căn cứ: Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở số 30/2023/QH15, Điều 13, 16, 17.",
]


def template_xlsx() -> bytes:
    resource = RosterResource()
    fields_ = [
        (name, resource.fields[name]) for name in ["team", *PERSON_COLUMNS, *MEMBERSHIP_COLUMNS]
    ]
    return _workbook(fields_, [], title="Mẫu danh sách Tổ bảo vệ ANTT", with_lists=True)


def export_xlsx(queryset, *, title: str) -> bytes:
    """Any list of memberships (the filters of the roster page), with every column."""
    resource = RosterResource()
    if hasattr(queryset, "select_related"):
        queryset = queryset.select_related("person", "team__commune")
    dataset = resource.export(queryset=queryset)
    fields_ = [(name, resource.fields[name]) for name in EXPORT_ORDER]
    return _workbook(fields_, dataset, title=title, with_lists=False)
