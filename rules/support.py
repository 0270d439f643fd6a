"""Monthly support shapes shared by the jurisdiction modules (Law 30/2023/QH15 Art. 23(1)(a):
the provincial People's Council sets the monthly support).

The unit of a parameter says how it becomes đồng, so one shape covers several resolutions:

- ``vnd``: a fixed amount (Phú Thọ, Hậu Giang, Sóc Trăng, TP.HCM);
- ``coefficient``: × the base salary in force that month (Đà Nẵng, Cần Thơ, Thanh Hóa), so a
  base-salary rise changes the amount from its first day without touching the resolution's data;
- ``percent``: % of the regional minimum wage of the commune's region (Bạc Liêu).

Shapes: ``by_role`` (support.<role>), ``base_plus_addon`` (support.base + support.addon.<role>,
Hà Nội, Cần Thơ), ``by_village_type`` (support.type<N>.<role>, Thanh Hóa) and
``training_extra`` (support.training.<level>, Cần Thơ).

Rounding: a coefficient or percentage step is rounded to the whole đồng with ``round_vnd`` right
where it is computed, and the trace says so; sums of whole đồng need no rounding.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from .base import AmountResult, MemberFacts, RuleError, TeamRole, TraceItem
from .money import round_vnd
from .names import NATIONAL
from .parameters import ParameterSource, ParameterValue, Unit, format_value

REGIONS = ("I", "II", "III", "IV")


def shown(value: ParameterValue) -> str:
    """A parameter value as shown in a trace; an unconfirmed figure says so."""
    return value.shown + ("" if value.verified else f" ({value.source.short})")


def vnd(amount: int) -> str:
    return format_value(amount, Unit.VND)


class Lookup:
    """Parameter lookups for one jurisdiction and day, remembering every value used."""

    def __init__(self, params: ParameterSource, jurisdiction: str, on: datetime.date):
        self.params, self.jurisdiction, self.on = params, jurisdiction, on
        self.used: list[ParameterValue] = []

    def _keep(self, value: ParameterValue) -> ParameterValue:
        if value not in self.used:
            self.used.append(value)
        return value

    def get(self, key: str) -> ParameterValue:
        return self._keep(self.params.get(key, jurisdiction=self.jurisdiction, on=self.on))

    def find(self, key: str) -> ParameterValue | None:
        value = self.params.find(key, jurisdiction=self.jurisdiction, on=self.on)
        return self._keep(value) if value is not None else None

    def national(self, key: str) -> ParameterValue:
        return self._keep(self.params.get(key, jurisdiction=NATIONAL, on=self.on))

    def get_all(self, keys: Iterable[str]) -> dict[str, ParameterValue]:
        found = self.params.get_all(list(keys), jurisdiction=self.jurisdiction, on=self.on)
        for value in found.values():
            self._keep(value)
        return found


def rate_amount(
    rate: ParameterValue, member: MemberFacts, look: Lookup, label: str
) -> tuple[int, list[TraceItem]]:
    """Turn one support parameter into whole đồng, by its unit, with the trace of how."""
    if rate.unit == Unit.VND:
        return rate.whole, [TraceItem(label, "mức cố định", shown(rate), rate.citation)]
    if rate.unit == Unit.COEFFICIENT:
        base = look.national("base_salary")
        amount = round_vnd(rate.number * base.number)
        return amount, [
            TraceItem("Mức lương cơ sở", "", shown(base), base.citation),
            TraceItem(
                label,
                f"hệ số {shown(rate)} × {base.shown}, làm tròn đến đồng",
                vnd(amount),
                rate.citation,
            ),
        ]
    if rate.unit == Unit.PERCENT:
        region = member.minimum_wage_region
        if region not in REGIONS:
            raise RuleError(
                "Mức hỗ trợ tính theo phần trăm lương tối thiểu vùng: cần biết xã thuộc vùng "
                "nào (I, II, III hoặc IV) theo nghị định về lương tối thiểu."
            )
        wage = look.national(f"regional_minimum_wage.{region}")
        amount = round_vnd(rate.number * wage.number / 100)
        return amount, [
            TraceItem(f"Lương tối thiểu tháng vùng {region}", "", shown(wage), wage.citation),
            TraceItem(
                label,
                f"{shown(rate)} × {wage.shown}, làm tròn đến đồng",
                vnd(amount),
                rate.citation,
            ),
        ]
    raise RuleError(
        f"Tham số «{rate.label}» có đơn vị «{rate.unit.label}», không dùng được cho mức hỗ trợ "
        "(cần đồng, hệ số × lương cơ sở hoặc % lương tối thiểu vùng)."
    )


Shape = Callable[[MemberFacts, Lookup], tuple[int, list[TraceItem]]]


def by_role(member: MemberFacts, look: Lookup) -> tuple[int, list[TraceItem]]:
    """support.<role>: one amount per role."""
    rate = look.get(f"support.{member.role}")
    return rate_amount(rate, member, look, f"Mức hỗ trợ {member.role.label}")


def base_plus_addon(addon_roles: Iterable[TeamRole]) -> Shape:
    """support.base for every member, plus support.addon.<role> for the roles that have one."""
    roles = frozenset(addon_roles)

    def shape(member: MemberFacts, look: Lookup) -> tuple[int, list[TraceItem]]:
        base = look.get("support.base")
        amount, trace = rate_amount(base, member, look, "Mức hỗ trợ chung")
        if member.role in roles:
            addon = look.get(f"support.addon.{member.role}")
            extra, more = rate_amount(addon, member, look, f"Hỗ trợ thêm {member.role.label}")
            trace += more
            trace.append(
                TraceItem(
                    f"Mức hỗ trợ {member.role.label}",
                    f"{vnd(amount)} + {vnd(extra)}",
                    vnd(amount + extra),
                    addon.citation,
                )
            )
            amount += extra
        return amount, trace

    return shape


def by_village_type(types: Iterable[int]) -> Shape:
    """support.type<N>.<role>: amounts by the village's (thôn, tổ dân phố) classification."""
    known = tuple(types)

    def shape(member: MemberFacts, look: Lookup) -> tuple[int, list[TraceItem]]:
        if member.village_type not in known:
            raise RuleError(
                "Mức hỗ trợ phụ thuộc phân loại thôn, tổ dân phố: cần ghi loại "
                f"({', '.join(str(t) for t in known)}) của thôn, tổ dân phố nơi Tổ hoạt động."
            )
        rate = look.get(f"support.type{member.village_type}.{member.role}")
        return rate_amount(
            rate, member, look, f"Mức hỗ trợ {member.role.label}, thôn loại {member.village_type}"
        )

    return shape


def training_extra(member: MemberFacts, look: Lookup) -> tuple[int, list[TraceItem]]:
    """support.training.<level>: an extra by the member's training level, when one is recorded."""
    if not member.training_level:
        return 0, [
            TraceItem(
                "Hỗ trợ thêm theo trình độ đào tạo",
                "không ghi nhận trình độ đào tạo được hưởng thêm",
                vnd(0),
                "",
            )
        ]
    rate = look.get(f"support.training.{member.training_level}")
    return rate_amount(rate, member, look, f"Hỗ trợ thêm trình độ «{member.training_level}»")


def monthly(
    member: MemberFacts,
    params: ParameterSource,
    month: datetime.date,
    *,
    jurisdiction: str,
    citation: str,
    module: str,
    shapes: Iterable[Shape],
) -> AmountResult:
    """Apply the shapes in order, add them up and build the result with its trace."""
    look = Lookup(params, jurisdiction, month)
    total, trace = 0, []
    for shape in shapes:
        amount, steps = shape(member, look)
        total += amount
        trace += steps
    trace.append(TraceItem("Số tiền hỗ trợ tháng", "", vnd(total), citation))
    return AmountResult(total, citation, tuple(trace), module, tuple(look.used))
