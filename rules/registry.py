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
from .jurisdictions import j25_phu_tho_2024
from .names import jurisdiction_name


@dataclass(frozen=True)
class Entry:
    effective_from: datetime.date
    effective_to: datetime.date | None
    module: ModuleType


REGISTRY: dict[str, list[Entry]] = {
    "25": [Entry(datetime.date(2024, 7, 1), None, j25_phu_tho_2024)],
}


def rule_module(jurisdiction: str, on: datetime.date) -> ModuleType:
    for entry in REGISTRY.get(jurisdiction, []):
        if entry.effective_from <= on and (entry.effective_to is None or on <= entry.effective_to):
            return entry.module
    raise RuleError(
        f"Chưa có quy định của {jurisdiction_name(jurisdiction)} (mã {jurisdiction}) áp dụng "
        f"ngày {on:%d/%m/%Y}. Quản trị viên cần bổ sung nghị quyết của tỉnh vào hệ thống."
    )
