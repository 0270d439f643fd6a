"""Support for members without insurance who fall sick, are injured or die on duty (Law
30/2023/QH15 Art. 24; Decree 40/2024/NĐ-CP Art. 5): medical costs are paid as incurred (not
computed here); the provincial People's Council sets

- ``incident.inpatient_meal_per_day``: a meal allowance per day as an in-patient;
- ``incident.death`` and ``incident.funeral``: a death benefit and a funeral allowance for the
  relatives of a member without social insurance who dies.
"""

from __future__ import annotations

import datetime

from .base import AmountResult, RuleError, TraceItem
from .parameters import ParameterSource
from .support import Lookup, shown, vnd

INCIDENT_KEYS = ["incident.inpatient_meal_per_day", "incident.death", "incident.funeral"]


def uninsured_incident(
    *,
    jurisdiction: str,
    on: datetime.date,
    params: ParameterSource,
    inpatient_days: int = 0,
    died: bool = False,
    citation: str,
    module: str,
) -> AmountResult:
    if inpatient_days < 0:
        raise RuleError("Số ngày điều trị nội trú không được âm.")
    look = Lookup(params, jurisdiction, on)
    total, trace = 0, []
    if inpatient_days:
        meal = look.get("incident.inpatient_meal_per_day")
        total += inpatient_days * meal.value
        trace.append(
            TraceItem(
                "Tiền ăn điều trị nội trú",
                f"{inpatient_days} ngày × {shown(meal)}",
                vnd(inpatient_days * meal.value),
                meal.citation,
            )
        )
    if died:
        for key, label in (
            ("incident.death", "Trợ cấp một lần khi chết"),
            ("incident.funeral", "Trợ cấp mai táng"),
        ):
            value = look.get(key)
            total += value.value
            trace.append(TraceItem(label, "mức cố định", shown(value), value.citation))
    trace.append(TraceItem("Tổng số tiền hỗ trợ", "", vnd(total), citation))
    return AmountResult(total, citation, tuple(trace), module, tuple(look.used))
