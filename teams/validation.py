"""The roster's rules of admission, in one place: the forms, the services, the Excel import and
the `import_roster` command all call these functions, so a row refused in Excel is refused in
the browser with the same words.

Everything here takes plain values (the dataclasses below, the commune, facts fetched by the
caller) and returns `Problems`: messages in Vietnamese keyed by the field they are about. The
field names are those of `PersonData` / `MembershipData`, which are also the form field names
and the import resource's field names (mapped there to the Vietnamese column headers).

Legal basis: Law 30/2023/QH15 Art. 13 (criteria), 16 (composition), 17(3) (ending); its figures
(in force from 01/07/2024, ages 18–70, one year of residence) are in `rules.law`.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.formatting import format_date
from rules import cccd as cccd_rules
from rules import law
from rules.base import ConcurrentPost, TeamRole
from rules.law import ART13

from .models import (
    ETHNIC_GROUPS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    AdministrativeUnit,
    Education,
    EducationException,
    EndGround,
    HouseholdStatus,
    Membership,
    Person,
    ResidenceType,
    RosterField,
    Sex,
)

DAN_PHONG = {ConcurrentPost.DOI_TRUONG_DAN_PHONG.value, ConcurrentPost.DOI_PHO_DAN_PHONG.value}
# Allowed values, computed once (the import checks thousands of rows).
SEXES = frozenset(Sex.values)
EDUCATIONS = frozenset(Education.values)
HOUSEHOLDS = frozenset(HouseholdStatus.values)
RESIDENCES = frozenset(ResidenceType.values)
EXCEPTIONS = frozenset(EducationException.values)
ROLES = frozenset(r.value for r in TeamRole)
POSTS = frozenset(p.value for p in ConcurrentPost)
ETHNICITIES = frozenset(ETHNIC_GROUPS)
EDUCATION_RANK = {value: i for i, value in enumerate(Education.values)}


class Problems:
    """Messages keyed by field name, in the order found."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = defaultdict(list)

    def add(self, field_name: str | None, message: str) -> None:
        key = field_name or NON_FIELD_ERRORS
        if message not in self.by_field[key]:
            self.by_field[key].append(message)

    def extend(self, other: Problems) -> Problems:
        for key, messages in other.by_field.items():
            for message in messages:
                self.add(key, message)
        return self

    def __bool__(self) -> bool:
        return any(self.by_field.values())

    def items(self):
        return [(k, m) for k, messages in self.by_field.items() for m in messages]

    def error(self) -> ValidationError:
        return ValidationError({k: v for k, v in self.by_field.items() if v})

    def raise_if_any(self) -> None:
        if self:
            raise self.error()


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Completed years (tuổi tròn) on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- The records: one attribute per roster field --------------------------------------------


class RosterRecord:
    """What a form or an Excel row says about a person or an appointment, before the checks.

    `PersonData` and `MembershipData` are dataclasses built from `PERSON_FIELDS` /
    `MEMBERSHIP_FIELDS` (teams.models): one attribute per roster field, defaulting to the model
    field's default. Values are tidied the same way whatever typed them: dates stay dates (an
    empty cell or "" is "not given"), text is stripped, lists are lists; `TIDY` adds what a
    particular field needs."""

    model: type[models.Model]

    if TYPE_CHECKING:  # the attributes are made by `_record` below

        def __init__(self, **values: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...

    kinds: dict[str, str]  # field name → "date", "list" or "text"

    def __post_init__(self) -> None:
        for name, kind in self.kinds.items():
            value = getattr(self, name)
            if kind == "date":
                value = value if isinstance(value, datetime.date) else None
            elif kind == "list":
                value = list(value or [])
            else:
                value = "" if value is None else str(value).strip()
            if name in TIDY:
                value = TIDY[name](value)
            setattr(self, name, value)

    @classmethod
    def from_instance(cls, instance: models.Model):
        return cls(**{f.name: getattr(instance, f.name) for f in fields(cls)})  # type: ignore[arg-type]

    def apply_to(self, instance: models.Model) -> list[str]:
        """Copy the values onto `instance`; return the names of the fields that changed."""
        changed = []
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if getattr(instance, f.name) != value:
                setattr(instance, f.name, value)
                changed.append(f.name)
        return changed


def _ordered_posts(posts: list[str]) -> list[str]:
    """Stored in the enum's order, so that the same set is always the same value."""
    order = [p.value for p in ConcurrentPost]
    chosen = set(posts)
    return [p for p in order if p in chosen] + sorted(chosen - set(order))


TIDY = {
    "full_name": lambda name: " ".join(name.split()),
    "cccd": cccd_rules.normalize,
    "concurrent_posts": _ordered_posts,
}


def _record(model: type[models.Model], roster_fields: tuple[RosterField, ...]):
    """Class decorator: one dataclass attribute per roster field, with the model's default."""

    def build(cls):
        cls.model = model
        cls.kinds = {}
        cls.__annotations__ = {}
        for entry in roster_fields:
            model_field = model._meta.get_field(entry.name)
            if isinstance(model_field, models.DateField):
                kind, annotation, default = "date", "datetime.date | None", field(default=None)
            elif isinstance(model_field, models.JSONField):
                kind, annotation, default = "list", "list[str]", field(default_factory=list)
            else:
                kind, annotation = "text", "str"
                default = field(
                    default=str(model_field.get_default()) if model_field.has_default() else ""
                )
            cls.kinds[entry.name] = kind
            cls.__annotations__[entry.name] = annotation
            setattr(cls, entry.name, default)
        return dataclass(cls)

    return build


@_record(Person, PERSON_FIELDS)
class PersonData(RosterRecord):
    """A person's record as typed in a form or an Excel row."""

    @classmethod
    def from_person(cls, person: Person) -> PersonData:
        return cls.from_instance(person)


@_record(Membership, MEMBERSHIP_FIELDS)
class MembershipData(RosterRecord):
    """An appointment to a team as typed in a form or an Excel row."""

    @classmethod
    def from_membership(cls, membership: Membership) -> MembershipData:
        return cls.from_instance(membership)


def excerpt(value, limit: int = 60) -> str:
    """A value as quoted in a message: at most `limit` characters (a cell can hold a page of
    text, and messages are stored and shown)."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- The unit's lifetime --------------------------------------------------------------------
#
# Messages are Vietnamese source strings marked for translation (%-placeholders, so that the
# English catalogue can reorder them).


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def unit_date_problem(commune: AdministrativeUnit, day: datetime.date) -> str | None:
    """Old (pre-2025) communes ended on 30/06/2025. Their rosters stay viewable and may still be
    corrected, but only for dates up to their last day; what happens from 01/07/2025 is recorded
    in the new commune. New communes start on 01/07/2025."""
    if commune.valid_to and day > commune.valid_to:
        return _(
            "%(unit)s đã kết thúc hoạt động ngày %(end)s do sắp xếp đơn vị hành chính: chỉ ghi "
            "nhận được thay đổi có hiệu lực đến ngày %(end)s. Thay đổi từ ngày %(next)s ghi ở "
            "đơn vị hành chính mới."
        ) % {
            "unit": commune.label,
            "end": format_date(commune.valid_to),
            "next": format_date(commune.valid_to + datetime.timedelta(1)),
        }
    if commune.valid_from and day < commune.valid_from:
        return _(
            "%(unit)s hoạt động từ ngày %(start)s: ngày trước đó thuộc đơn vị hành chính cũ."
        ) % {"unit": commune.label, "start": format_date(commune.valid_from)}
    return None


def check_day(
    problems: Problems,
    field_name: str,
    day: datetime.date | None,
    *,
    label: str,
    commune: AdministrativeUnit | None,
    today: datetime.date,
    required: bool = True,
    not_before_law: bool = False,
) -> None:
    if day is None:
        if required:
            problems.add(field_name, _("Chưa nhập %(label)s.") % {"label": label})
        return
    if day > today:
        problems.add(
            field_name,
            _("%(label)s (%(day)s) không được sau ngày hôm nay (%(today)s).")
            % {"label": capital(label), "day": format_date(day), "today": format_date(today)},
        )
    if not_before_law and day < law.IN_FORCE.value:
        problems.add(
            field_name,
            _(
                "%(label)s (%(day)s) không được trước ngày %(law)s, ngày Luật 30/2023/QH15 có "
                "hiệu lực."
            )
            % {
                "label": capital(label),
                "day": format_date(day),
                "law": format_date(law.IN_FORCE.value),
            },
        )
    if commune is not None and (message := unit_date_problem(commune, day)):
        problems.add(field_name, message)


# --- Lengths --------------------------------------------------------------------------------


def check_lengths(problems: Problems, model, data, names: list[str]) -> None:
    """Text longer than its column: the forms stop it, an Excel cell may not."""
    for name in names:
        value = getattr(data, name) or ""
        limit = model._meta.get_field(name).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            problems.add(
                name,
                _("Quá dài: tối đa %(max)s ký tự (đang có %(n)s).")
                % {"max": limit, "n": len(value)},
            )


# --- The person -----------------------------------------------------------------------------

PHONE = re.compile(r"^(?:\+84|84|0)(\d{9})$")


def check_person(p: PersonData, *, today: datetime.date) -> Problems:
    problems = Problems()
    if not p.full_name:
        problems.add("full_name", _("Chưa nhập họ và tên."))
    elif len(p.full_name.split()) < 2:
        problems.add("full_name", _("Nhập đầy đủ họ và tên (ít nhất họ và tên)."))
    elif any(ch.isdigit() for ch in p.full_name):
        problems.add("full_name", _("Họ và tên không được chứa chữ số."))
    if p.birth_date is None:
        problems.add("birth_date", _("Chưa nhập ngày sinh."))
    elif p.birth_date > today:
        problems.add("birth_date", _("Ngày sinh không được sau ngày hôm nay."))
    if p.sex not in SEXES:
        problems.add("sex", _("Chọn giới tính Nam hoặc Nữ."))
    for message in cccd_rules.problems(
        p.cccd, birth_date=p.birth_date, sex=p.sex if p.sex in SEXES else None
    ):
        problems.add("cccd", message)
    if p.phone and not PHONE.match(re.sub(r"[\s.\-()]", "", p.phone)):
        problems.add(
            "phone",
            _(
                "Số điện thoại «%(phone)s» không hợp lệ: 10 chữ số bắt đầu bằng 0 (ví dụ "
                "0912 345 678) hoặc +84 và 9 chữ số."
            )
            % {"phone": excerpt(p.phone)},
        )
    if p.ethnicity not in ETHNICITIES:
        problems.add(
            "ethnicity",
            _("«%(value)s» không có trong danh mục 54 dân tộc.") % {"value": excerpt(p.ethnicity)},
        )
    if p.education not in EDUCATIONS:
        problems.add("education", _("Chọn trình độ học vấn."))
    if p.household_status not in HOUSEHOLDS:
        problems.add("household_status", _("Chọn hoàn cảnh hộ: hộ nghèo, hộ cận nghèo hoặc khác."))
    if p.residence_type not in RESIDENCES:
        problems.add("residence_type", _("Chọn hình thức cư trú: thường trú hoặc tạm trú."))
    if not p.residence_address:
        problems.add("residence_address", _("Chưa nhập địa chỉ cư trú."))
    if p.residence_since is None:
        problems.add("residence_since", _("Chưa nhập ngày bắt đầu cư trú."))
    elif p.residence_since > today:
        problems.add("residence_since", _("Ngày bắt đầu cư trú không được sau ngày hôm nay."))
    elif p.birth_date and p.residence_since < p.birth_date:
        problems.add("residence_since", _("Ngày bắt đầu cư trú không được trước ngày sinh."))
    check_lengths(problems, Person, p, ["full_name", "phone", "residence_address"])
    return problems


# --- The appointment ------------------------------------------------------------------------


def check_membership(
    p: PersonData,
    m: MembershipData,
    *,
    commune: AdministrativeUnit,
    today: datetime.date,
    check_start: bool = True,
) -> Problems:
    """Art. 13 on the start date: age, residence, education; the posts held; the dates.

    `check_start=False` when the start date is not being set now (a person's record edited
    while they serve): the criteria are still checked on the recorded start date, but the
    start date's own limits (today, the unit's lifetime) were checked when it was entered."""
    problems = Problems()
    if m.role not in ROLES:
        problems.add("role", _("Chọn chức danh: Tổ trưởng, Tổ phó hoặc Tổ viên."))
    if check_start:
        check_day(
            problems,
            "start_date",
            m.start_date,
            label=_("ngày bắt đầu tham gia"),
            commune=commune,
            today=today,
            not_before_law=True,
        )
    elif m.start_date is None:
        problems.add("start_date", _("Chưa nhập ngày bắt đầu tham gia."))
    check_age(problems, p, m, today=today)
    check_residence(problems, p, m)
    check_education(problems, p, m)
    check_posts(problems, m)
    check_appointment(problems, m, today=today)
    check_lengths(problems, Membership, m, ["appointment_number", "over_70_approval_number"])
    return problems


def check_age(
    problems: Problems, p: PersonData, m: MembershipData, *, today: datetime.date
) -> None:
    """Art. 13(1) on the start date: 18 to 70, older only with the commune chair's approval."""
    start = m.start_date
    if start and p.birth_date and p.birth_date <= start:
        age = age_on(p.birth_date, start)
        if age < law.MIN_AGE.value:
            problems.add(
                "birth_date",
                _(
                    "Ngày bắt đầu %(start)s người này mới %(age)s tuổi: thành viên phải từ đủ "
                    "%(min)s tuổi (%(law)s, khoản 1)."
                )
                % {"start": format_date(start), "age": age, "min": law.MIN_AGE.value, "law": ART13},
            )
        elif age > law.MAX_AGE.value and not (
            m.over_70_approval_number and m.over_70_approval_date
        ):
            problems.add(
                "over_70_approval_number",
                _(
                    "Ngày bắt đầu %(start)s người này đã %(age)s tuổi: trên %(max)s tuổi chỉ "
                    "được tham gia khi đủ sức khỏe và được Chủ tịch UBND cấp xã chấp thuận "
                    "(%(law)s, khoản 1). Nhập số và ngày văn bản chấp thuận."
                )
                % {"start": format_date(start), "age": age, "max": law.MAX_AGE.value, "law": ART13},
            )
    if m.over_70_approval_date and m.over_70_approval_date > today:
        problems.add("over_70_approval_date", _("Ngày chấp thuận không được sau ngày hôm nay."))
    if bool(m.over_70_approval_number) != bool(m.over_70_approval_date):
        problems.add(
            "over_70_approval_date" if m.over_70_approval_number else "over_70_approval_number",
            _("Nhập cả số và ngày văn bản chấp thuận."),
        )


def check_residence(problems: Problems, p: PersonData, m: MembershipData) -> None:
    """Art. 13(4): at least one year of residence before the start date."""
    start = m.start_date
    since = p.residence_since
    if start and since and since <= start:
        if add_years(since, law.RESIDENCE_YEARS.value) > start:
            months = (start.year - since.year) * 12 + (start.month - since.month)
            months -= start.day < since.day
            problems.add(
                "residence_since",
                _(
                    "Cư trú từ ngày %(since)s, đến ngày bắt đầu %(start)s mới được %(months)s "
                    "tháng: cần cư trú ít nhất 01 năm (%(law)s, khoản 4)."
                )
                % {
                    "since": format_date(since),
                    "start": format_date(start),
                    "months": max(months, 0),
                    "law": ART13,
                },
            )
    elif start and since and since > start:
        problems.add(
            "residence_since",
            _(
                "Ngày bắt đầu cư trú (%(since)s) sau ngày bắt đầu tham gia (%(start)s): cần cư "
                "trú ít nhất 01 năm trước khi tham gia (%(law)s, khoản 4)."
            )
            % {"since": format_date(since), "start": format_date(start), "law": ART13},
        )


def check_education(problems: Problems, p: PersonData, m: MembershipData) -> None:
    """Art. 13(3): lower secondary school, or primary school in the areas the law lists."""
    if m.education_exception and m.education_exception not in EXCEPTIONS:
        problems.add("education_exception", _("Vùng áp dụng ngoại lệ không hợp lệ."))
    if p.education in EDUCATIONS:
        rank = EDUCATION_RANK[p.education]
        if rank < EDUCATION_RANK[Education.TIEU_HOC]:
            problems.add(
                "education",
                _(
                    "Thành viên phải tốt nghiệp trung học cơ sở trở lên; ở vùng biên giới, hải "
                    "đảo, miền núi, vùng đặc biệt khó khăn, vùng đồng bào dân tộc thiểu số thì "
                    "tốt nghiệp tiểu học (%(law)s, khoản 3)."
                )
                % {"law": ART13},
            )
        elif rank < EDUCATION_RANK[Education.THCS] and not m.education_exception:
            problems.add(
                "education",
                _(
                    "Trình độ tiểu học chỉ được chấp nhận ở vùng biên giới, hải đảo, miền núi, "
                    "vùng đặc biệt khó khăn, vùng đồng bào dân tộc thiểu số (%(law)s, khoản 3): "
                    "chọn vùng áp dụng ở mục «Vùng được áp dụng trình độ tiểu học», nếu có."
                )
                % {"law": ART13},
            )


def check_posts(problems: Problems, m: MembershipData) -> None:
    """The civil-defence posts held with the membership (Art. 16)."""
    unknown = [post for post in m.concurrent_posts if post not in POSTS]
    if unknown:
        problems.add(
            "concurrent_posts",
            _("Chức danh kiêm nhiệm không hợp lệ: %(posts)s.") % {"posts": ", ".join(unknown)},
        )
    if set(m.concurrent_posts) >= DAN_PHONG:
        problems.add(
            "concurrent_posts",
            _("Một người không thể vừa là Đội trưởng vừa là Đội phó đội dân phòng."),
        )


def check_appointment(problems: Problems, m: MembershipData, *, today: datetime.date) -> None:
    """The recognition decision: its number and date go together."""
    check_day(
        problems,
        "appointment_date",
        m.appointment_date,
        label=_("ngày quyết định công nhận"),
        commune=None,
        today=today,
        required=False,
    )
    if m.appointment_date and not m.appointment_number:
        problems.add("appointment_number", _("Nhập số quyết định công nhận kèm ngày quyết định."))
    if m.appointment_number and not m.appointment_date:
        problems.add("appointment_date", _("Nhập ngày của quyết định công nhận."))


def check_end(
    membership: Membership,
    *,
    end_date: datetime.date | None,
    ground: str,
    decision_number: str,
    decision_date: datetime.date | None,
    commune: AdministrativeUnit,
    today: datetime.date,
) -> Problems:
    """Ending a membership under Art. 17(3), with the commune chair's decision (Form 08)."""
    problems = Problems()
    if not membership.is_active:
        problems.add(
            None,
            _("Thành viên đã thôi tham gia từ ngày %(end)s.")
            % {"end": format_date(membership.end_date)},
        )
        return problems
    check_day(
        problems, "end_date", end_date, label=_("ngày thôi tham gia"), commune=commune, today=today
    )
    if end_date and end_date < membership.start_date:
        problems.add(
            "end_date",
            _("Ngày thôi tham gia không được trước ngày bắt đầu (%(start)s).")
            % {"start": format_date(membership.start_date)},
        )
    if ground not in {value for value, _label in EndGround.art17_choices()}:
        problems.add(
            "ground", _("Chọn căn cứ thôi tham gia (Luật 30/2023/QH15, Điều 17, khoản 3).")
        )
    if not (decision_number or "").strip():
        problems.add("decision_number", _("Nhập số quyết định thôi tham gia (Mẫu 08)."))
    check_day(
        problems,
        "decision_date",
        decision_date,
        label=_("ngày quyết định thôi tham gia"),
        commune=None,
        today=today,
    )
    return problems


# --- Facts about the rest of the roster -----------------------------------------------------


def active_elsewhere_message(active: Membership, *, visible: bool, same_team: bool) -> str:
    """A person can hold one active membership in the whole system. Where they serve is named
    only when the officer may see that unit."""
    if same_team:
        return _("Người này đã là %(role)s của Tổ này (từ ngày %(start)s).") % {
            "role": active.get_role_display(),
            "start": format_date(active.start_date),
        }
    if visible:
        return _(
            "Người có số CCCD này đang là %(role)s của %(team)s, %(unit)s (từ ngày %(start)s). "
            "Một người chỉ tham gia một Tổ: dùng «Chuyển Tổ, đổi chức danh» trên trang thành "
            "viên, hoặc cho thôi tham gia trước."
        ) % {
            "role": active.get_role_display(),
            "team": active.team.name,
            "unit": active.team.commune.label,
            "start": format_date(active.start_date),
        }
    return _(
        "Người có số CCCD này đang tham gia một Tổ ở đơn vị khác. Một người chỉ tham gia một "
        "Tổ: người đó cần thôi tham gia ở đơn vị cũ trước."
    )


def leader_message(team_name: str, leader_name: str) -> str:
    return _(
        "%(team)s đã có Tổ trưởng (%(leader)s). Mỗi Tổ chỉ có một Tổ trưởng (Luật 30/2023/QH15, "
        "Điều 16): chọn chức danh khác, hoặc cho Tổ trưởng hiện tại thôi giữ chức danh trước."
    ) % {"team": team_name, "leader": leader_name}


def over_quota_merge_message(team_name: str, members: int, citation: str, size: int) -> str:
    return _(
        "%(team)s gộp từ các Tổ cũ có %(size)s thành viên, vượt định mức %(members)s thành viên "
        "(%(citation)s). Ghi lý do vượt định mức (ví dụ: số, ngày văn bản cho phép của UBND cấp "
        "tỉnh) hoặc gộp ít Tổ hơn."
    ) % {"team": team_name, "members": members, "citation": citation, "size": size}


def quota_message(team_name: str, members: int, citation: str, size_after: int) -> str:
    return _(
        "%(team)s có định mức %(members)s thành viên (%(citation)s); thêm người này thì Tổ có "
        "%(size)s thành viên. Nếu vẫn bổ sung, ghi lý do vượt định mức (ví dụ: số, ngày văn bản "
        "cho phép của UBND cấp tỉnh)."
    ) % {"team": team_name, "members": members, "citation": citation, "size": size_after}
