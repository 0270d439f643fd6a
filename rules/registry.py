"""Which rule module applies to a jurisdiction on a given day.

A jurisdiction is the pre-2025 province (old two-digit code): after the 2025 merger a commune
keeps the rules of its old province until the new province replaces them (Resolution
190/2025/QH15 Art. 10), so new Cần Thơ runs the rules of 92, 93 and 94 side by side. A new
resolution is one more dated entry here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import ModuleType

from .base import RuleError
from .dates import format_date
from .jurisdictions import (
    j01_ha_noi_2024,
    j25_phu_tho_2024,
    j30_hai_duong_2024,
    j38_thanh_hoa_2024,
    j48_da_nang_2024,
    j62_kon_tum_2024,
    j79_ho_chi_minh_2024,
    j92_can_tho_2024,
    j93_hau_giang_2024,
    j94_soc_trang_2024,
    j95_bac_lieu_2024,
)
from .names import jurisdiction_name


@dataclass(frozen=True)
class Entry:
    effective_from: datetime.date
    effective_to: datetime.date | None
    module: ModuleType


REGISTRY: dict[str, list[Entry]] = {
    "01": [Entry(datetime.date(2024, 7, 1), None, j01_ha_noi_2024)],
    "25": [Entry(datetime.date(2024, 7, 1), None, j25_phu_tho_2024)],
    "30": [Entry(datetime.date(2024, 7, 1), None, j30_hai_duong_2024)],
    "38": [Entry(datetime.date(2024, 7, 1), None, j38_thanh_hoa_2024)],
    "48": [Entry(datetime.date(2024, 7, 1), None, j48_da_nang_2024)],
    "62": [Entry(datetime.date(2024, 7, 1), None, j62_kon_tum_2024)],
    "79": [Entry(datetime.date(2024, 7, 1), None, j79_ho_chi_minh_2024)],
    "92": [Entry(datetime.date(2024, 7, 15), None, j92_can_tho_2024)],
    "93": [Entry(datetime.date(2024, 7, 1), None, j93_hau_giang_2024)],
    "94": [Entry(datetime.date(2024, 7, 1), None, j94_soc_trang_2024)],
    "95": [Entry(datetime.date(2024, 7, 1), None, j95_bac_lieu_2024)],
}


def modules() -> list[ModuleType]:
    """Every registered rule module, once."""
    seen: dict[str, ModuleType] = {}
    for entries in REGISTRY.values():
        for entry in entries:
            seen.setdefault(entry.module.__name__, entry.module)
    return list(seen.values())


def jurisdiction_choices() -> list[tuple[str, str]]:
    """(code, "01 · Thành phố Hà Nội") for every jurisdiction with rules, by code."""
    return [(code, f"{code} · {jurisdiction_name(code)}") for code in sorted(REGISTRY)]


def rule_module(jurisdiction: str, on: datetime.date) -> ModuleType:
    for entry in REGISTRY.get(jurisdiction, []):
        if entry.effective_from <= on and (entry.effective_to is None or on <= entry.effective_to):
            return entry.module
    raise RuleError(
        f"Chưa có quy định của {jurisdiction_name(jurisdiction)} (mã {jurisdiction}) áp dụng "
        f"ngày {format_date(on)}. Quản trị viên cần bổ sung nghị quyết của tỉnh vào hệ thống."
    )


def change_days(jurisdiction: str, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """Days after `first` and up to `last` on which a rule module starts or stops applying."""
    days = set()
    for entry in REGISTRY.get(jurisdiction, []):
        if first < entry.effective_from <= last:
            days.add(entry.effective_from)
        if entry.effective_to is not None and first <= entry.effective_to < last:
            days.add(entry.effective_to + datetime.timedelta(days=1))
    return days
