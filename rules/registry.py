"""Which rule applies to a jurisdiction on a given day.

A jurisdiction is the pre-2025 province (old two-digit code): after the 2025 merger a commune
keeps the rules of its old province until the new province replaces them (Resolution
190/2025/QH15 Art. 10), so new Cần Thơ runs the rules of 92, 93 and 94 side by side.

Nothing is listed by hand: the registry finds

- every module of ``rules/jurisdictions/`` that declares ``JURISDICTION`` (its own
  ``EFFECTIVE_FROM`` and optional ``EFFECTIVE_TO`` say when it applies), and
- every fixture whose ``[rule]`` table names a shared shape (``rules.jurisdictions.standard``:
  the resolutions that differ only in their figures).

So a new resolution is one new module or one new fixture file. Two rules of one jurisdiction
whose dates overlap are refused when the registry is built (``RegistryError``), never resolved
by picking one silently.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import pkgutil
from dataclasses import dataclass
from typing import Any

from . import jurisdictions
from .base import RuleError
from .dates import format_date
from .jurisdictions import standard
from .names import jurisdiction_name


class RegistryError(Exception):
    """The rule modules and fixtures contradict each other (a programming error)."""


@dataclass(frozen=True)
class Entry:
    effective_from: datetime.date
    effective_to: datetime.date | None
    module: Any  # a module of rules.jurisdictions or a standard.StandardRule: the same interface


def discover() -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    rules: list[Any] = []
    for info in pkgutil.iter_modules(jurisdictions.__path__):
        module = importlib.import_module(f"{jurisdictions.__name__}.{info.name}")
        if hasattr(module, "JURISDICTION"):
            rules.append(module)
    rules.extend(standard.load_rules())
    names = [rule.__name__ for rule in rules]
    if len(names) != len(set(names)):
        raise RegistryError(f"Hai quy định cùng tên: {sorted(names)}")
    for rule in rules:
        entry = Entry(rule.EFFECTIVE_FROM, getattr(rule, "EFFECTIVE_TO", None), rule)
        found.setdefault(rule.JURISDICTION, []).append(entry)
    for code, entries in found.items():
        entries.sort(key=lambda e: e.effective_from)
        for before, after in itertools.pairwise(entries):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise RegistryError(
                    f"{code}: {before.module.__name__} và {after.module.__name__} có thời gian "
                    "áp dụng chồng nhau (cần EFFECTIVE_TO của quy định trước)."
                )
    return dict(sorted(found.items()))


REGISTRY: dict[str, list[Entry]] = discover()


def modules() -> list[Any]:
    """Every registered rule, once."""
    seen: dict[str, Any] = {}
    for entries in REGISTRY.values():
        for entry in entries:
            seen.setdefault(entry.module.__name__, entry.module)
    return list(seen.values())


def jurisdiction_choices() -> list[tuple[str, str]]:
    """(code, "01 · Thành phố Hà Nội") for every jurisdiction with rules, by code."""
    return [(code, f"{code} · {jurisdiction_name(code)}") for code in sorted(REGISTRY)]


def rule_module(jurisdiction: str, on: datetime.date) -> Any:
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
