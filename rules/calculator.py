"""What-if calculations for people: the command-line calculator (``manage.py rules``) and the
web calculator page both call these, so they cannot disagree. Inputs arrive as text and are
checked here with Vietnamese messages; results are plain dicts ready for JSON or a template.
Every function calls the same ``rules.engine`` entry points the monthly runs use.
"""

from __future__ import annotations

import datetime
import re

from . import engine
from .base import (
    AreaFacts,
    CommuneKind,
    ConcurrentPost,
    DutyFacts,
    DutyKind,
    MemberFacts,
    RuleError,
    TeamRole,
)
from .dates import format_date
from .insurance import Group, Scheme
from .parameters import ParameterSource
from .registry import REGISTRY
from .support import REGIONS


def parse_month(text: str) -> datetime.date:
    """ "2025-07" → 1 July 2025."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(text).strip())
    if match and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    raise RuleError(f"Tháng «{text}» không hợp lệ: cần dạng NNNN-TT, ví dụ 2025-07.")


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise RuleError(
            f"Ngày «{text}» không hợp lệ: cần dạng NNNN-TT-NN, ví dụ 2025-08-15."
        ) from None


def parse_days_of_month(text: str, month: datetime.date, what: str) -> list[datetime.date]:
    """ "3, 10, 21-25" in December 2024 → those days of the month (a day written twice counts
    twice: two shifts on one day, say). Empty text → no day."""
    days: list[datetime.date] = []
    last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last_day = (last - datetime.timedelta(days=1)).day
    for piece in re.split(r"[,;\s]+", str(text).strip()):
        if not piece:
            continue
        match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", piece)
        if not match:
            raise RuleError(
                f"{what}: «{piece[:20]}» không hợp lệ: ghi các ngày trong tháng, ví dụ 3, 10, 21-25."
            )
        first, end = int(match[1]), int(match[2] or match[1])
        if not 1 <= first <= end <= last_day:
            raise RuleError(
                f"{what}: «{piece}» không hợp lệ: tháng {month.month:02d}/{month.year} có các ngày "
                f"từ 1 đến {last_day}, ngày đầu không sau ngày cuối."
            )
        days.extend(month.replace(day=d) for d in range(first, end + 1))
    return days


def parse_count(text, what: str, *, minimum: int = 0) -> int:
    try:
        value = int(str(text).strip().replace(".", "").replace(",", ""))
    except ValueError:
        raise RuleError(f"{what} «{text}» không hợp lệ: cần một số nguyên.") from None
    if value < minimum:
        raise RuleError(f"{what} phải từ {minimum} trở lên, không phải {value}.")
    return value


def _choice(enum, text: str, what: str):
    try:
        return enum(str(text).strip())
    except ValueError:
        allowed = ", ".join(item.value for item in enum)
        raise RuleError(f"{what} «{text}» không hợp lệ: chọn một trong {allowed}.") from None


def jurisdiction_code(text: str) -> str:
    code = str(text).strip().zfill(2)
    if code not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise RuleError(
            f"Chưa có quy định của tỉnh mã «{text}» trong hệ thống (mã tỉnh cũ có quy định: {known})."
        )
    return code


def commune_kind(text: str) -> CommuneKind:
    return _choice(CommuneKind, text, "Loại đơn vị cấp xã")


def role(text: str) -> TeamRole:
    return _choice(TeamRole, text, "Chức danh")


def concurrent_post(text: str) -> ConcurrentPost:
    return _choice(ConcurrentPost, text, "Chức danh kiêm nhiệm")


def group(text: str) -> Group:
    return _choice(Group, text, "Nhóm đối tượng")


def scheme(text: str) -> Scheme:
    return _choice(Scheme, text, "Loại bảo hiểm")


def region(text: str) -> str:
    value = str(text).strip().upper()
    if value not in REGIONS:
        raise RuleError(f"Vùng lương tối thiểu «{text}» không hợp lệ: chọn I, II, III hoặc IV.")
    return value


def _trace(items) -> list[dict[str, str]]:
    return [item.as_dict() for item in items]


def quota(
    *,
    jurisdiction: str,
    commune_kind: CommuneKind,
    households: int,
    on: datetime.date,
    params: ParameterSource,
    residents: int | None = None,
) -> dict:
    area = AreaFacts(commune_kind, households, residents)
    result = engine.member_quota(jurisdiction=jurisdiction, area=area, on=on, params=params)
    return {"members": result.members, "citation": result.citation, "trace": _trace(result.trace)}


def monthly(
    *,
    jurisdiction: str,
    role: TeamRole,
    month: datetime.date,
    params: ParameterSource,
    village_type: int | None = None,
    region: str | None = None,
    concurrent: tuple[ConcurrentPost, ...] = (),
    training_level: str | None = None,
    active_days: int | None = None,
) -> dict:
    member = MemberFacts(
        role,
        frozenset(concurrent),
        village_type=village_type,
        minimum_wage_region=region,
        training_level=training_level or None,
    )
    result = engine.monthly_support(
        jurisdiction=jurisdiction,
        member=member,
        month=month,
        params=params,
        active_days=active_days,
    )
    return {"amount": result.amount, "citation": result.citation, "trace": _trace(result.trace)}


def duty(
    *,
    jurisdiction: str,
    month: datetime.date,
    days: dict[DutyKind, list[datetime.date]],
    params: ParameterSource,
) -> dict:
    """The month's duty stipend for the duty done on these days, one unit per day listed: the
    facts the monthly run builds from the duty log, so the two give the same figure."""
    month = month.replace(day=1)
    dated = []
    for kind, listed in days.items():
        for day in listed:
            if (day.year, day.month) != (month.year, month.month):
                raise RuleError(f"Ngày {format_date(day)} không thuộc tháng đã chọn.")
            dated.append((day, DutyKind(kind), 1))
    if not dated:
        raise RuleError("Cần ít nhất một ngày (đêm, ca) làm nhiệm vụ trong tháng.")
    result = engine.duty_stipend(
        jurisdiction=jurisdiction, duty=DutyFacts.from_days(dated), month=month, params=params
    )
    return {"amount": result.amount, "citation": result.citation, "trace": _trace(result.trace)}


def insurance(
    *,
    scheme: Scheme,
    jurisdiction: str,
    on: datetime.date,
    groups: tuple[Group, ...],
    params: ParameterSource,
    income: int | None = None,
    months_supported: int = 0,
    role: TeamRole | None = None,
    household_position: int | None = None,
) -> dict:
    result = engine.insurance(
        jurisdiction=jurisdiction,
        scheme=scheme,
        on=on,
        params=params,
        groups=frozenset(groups),
        income=income,
        months_supported=months_supported,
        member=MemberFacts(role) if role is not None else None,
        household_position=household_position,
    )
    return result.as_dict()
