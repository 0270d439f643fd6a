"""Voluntary social insurance (BHXH tự nguyện, "VSI") and health insurance (BHYT, "HI") for team
members: the contribution, the central state's support, the province's top-up and what the
member pays. Law 30/2023/QH15 Art. 23(1)(b): the provincial People's Council sets its support
for VSI and HI contributions; the national rules below set the rest. Every figure is a dated
parameter; the month's values are the ones in force on the day asked for.

VSI groups: poor, near-poor, ethnic minority, island (people living in an island commune or a
special zone, đặc khu: 50 % from 01/07/2025 under Decree 159/2025/NĐ-CP, no group of its own
before, so ``vsi.state_support.island`` is the "other" rate until 30/06/2025), other.

VSI (2014 SI Law Art. 87; 2024 SI Law Art. 36, in force 01/07/2025):
- contribution = ``vsi.rate`` (22 %) × the monthly income the member chooses, which must be at
  least the rural poverty line (``rural_poverty_line``) and at most ``vsi.income_ceiling_multiple``
  (20) × the base salary; outside that range is a RuleError, never a silent clamp;
- central state support = the rate of the member's highest applicable group
  (``vsi.state_support.<group>``: 30/25/10 % under Decree 134/2015/NĐ-CP until 30/06/2025,
  50/40/30/20 % under Decree 159/2025/NĐ-CP from 01/07/2025) × the contribution at the
  poverty-line income, for at most ``vsi.state_support.max_months`` (120) months in all: the
  caller says how many supported months the member has already used;
- provincial top-up (``vsi.province.mode``): ``none``; ``fixed`` (``vsi.province.amount`` đ a
  month, Hà Nội); ``percent_of_floor`` (``vsi.province.percent`` of the contribution at the
  poverty-line income, Hải Dương 30 %); ``percent_of_floor_remainder`` (that percent of what the
  poverty-line contribution leaves after the central support, Hậu Giang); ``percent_of_remainder``
  (that percent of what the member's own contribution leaves after the central support,
  TP.HCM 100 %). ``vsi.income_basis`` = ``monthly_support`` makes the income the member's
  monthly support (TP.HCM), otherwise the member chooses (default: the poverty line).

HI (HI Law; Decree 146/2018/NĐ-CP, then Decree 188/2025/NĐ-CP from 15/08/2025):
- contribution = ``hi.rate`` (4.5 %) × base salary for the first person of a household (or a
  member not enrolled with a household); the 2nd, 3rd, 4th and 5th-and-later member of a
  household enrolled together pay ``hi.household_share.<n>`` (70 / 60 / 50 / 40 %) of that,
  rounded once to the đồng (Decree 146/2018 Art. 7(1)(e));
- state support = ``hi.state_support.antt`` × contribution (0 before 15/08/2025; at least 50 %
  from then, Decree 188/2025 Art. 6(6)(đ));
- provincial top-up (``hi.province.mode``): ``none``; ``fixed`` (``hi.province.amount``, Hà Nội);
  ``percent_of_contribution`` (Hải Dương, Hậu Giang 100 % of the household contribution);
  ``percent_of_remainder`` (TP.HCM 100 % of what the state leaves).

Both: the province never pays more than what the state leaves (a fixed top-up set before the
state's share grew is cut to the remainder, and the trace says so), so the member pays the rest,
never a negative amount. A jurisdiction with no ``*.province.mode`` in force is an error naming
it: "no top-up" must be entered as ``none``, with its citation, not assumed.

Rounding: each percentage step is rounded to the whole đồng (``round_vnd``) where it is computed,
as the social-insurance office computes monthly amounts; the trace says where.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from .base import RuleError, TraceItem
from .catalogue import CHOICE_NAMES
from .dates import format_date
from .money import round_vnd
from .parameters import ParameterSource, ParameterValue
from .support import Lookup, shown, vnd


class Scheme(StrEnum):
    VSI = "vsi"
    HI = "hi"

    @property
    def label(self) -> str:
        return {"vsi": "BHXH tự nguyện", "hi": "BHYT"}[self.value]


class Group(StrEnum):
    """Groups with a central-state VSI support rate; a member in several gets the highest."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    ETHNIC_MINORITY = "ethnic_minority"
    ISLAND = "island"  # lives in an island commune or a special zone (Decree 159/2025)
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "poor": "người thuộc hộ nghèo",
            "near_poor": "người thuộc hộ cận nghèo",
            "ethnic_minority": "người dân tộc thiểu số",
            "island": "người sinh sống tại xã đảo, đặc khu",
            "other": "đối tượng khác",
        }[self.value]


# Decree 146/2018/NĐ-CP Art. 7(1)(e): in a household enrolled together the 1st person pays the
# full rate, the 2nd, 3rd and 4th 70 / 60 / 50 % of it, the 5th and later 40 %
# (``hi.household_share.<n>``, n = 1…5, 5 meaning "5th and later").
HOUSEHOLD_POSITIONS = (1, 2, 3, 4, 5)


VSI_PROVINCE_MODES = CHOICE_NAMES["vsi.province.mode"]
HI_PROVINCE_MODES = CHOICE_NAMES["hi.province.mode"]

NATIONAL_KEYS = [
    "base_salary",
    "rural_poverty_line",
    "vsi.rate",
    "vsi.income_ceiling_multiple",
    *(f"vsi.state_support.{group}" for group in Group),
    "vsi.state_support.max_months",
    "hi.rate",
    *(f"hi.household_share.{n}" for n in HOUSEHOLD_POSITIONS),
    "hi.state_support.antt",
]
PROVINCE_KEYS = [
    "vsi.province.mode",
    "vsi.province.amount",
    "vsi.province.percent",
    "vsi.income_basis",
    "hi.province.mode",
    "hi.province.amount",
    "hi.province.percent",
]


@dataclass(frozen=True)
class InsuranceResult:
    """Whole đồng per month."""

    scheme: Scheme
    contribution: int
    state_support: int
    province_support: int
    member_pays: int
    trace: tuple[TraceItem, ...]
    parameters: tuple[ParameterValue, ...] = ()

    def as_dict(self) -> dict:
        return {
            "contribution": self.contribution,
            "state_support": self.state_support,
            "province_support": self.province_support,
            "member_pays": self.member_pays,
            "trace": [item.as_dict() for item in self.trace],
        }


def percent_of(percent: ParameterValue, amount: int) -> int:
    return round_vnd(percent.number * amount / 100)


def _mode(look: Lookup, key: str, modes: dict[str, str]) -> ParameterValue:
    mode = look.get(key)
    if mode.value not in modes:
        raise RuleError(
            f"Tham số «{mode.label}» phải là một trong: {', '.join(modes)}; không phải «{mode.value}»."
        )
    return mode


def _finish(
    scheme: Scheme,
    look: Lookup,
    trace: list[TraceItem],
    contribution: int,
    state: int,
    province: int,
    province_citation: str,
) -> InsuranceResult:
    remainder = contribution - state
    if province > remainder:
        trace.append(
            TraceItem(
                "Hỗ trợ của tỉnh không vượt phần còn phải đóng",
                f"{vnd(province)} giảm còn {vnd(contribution)} − {vnd(state)}",
                vnd(remainder),
                province_citation,
            )
        )
        province = remainder
    member = contribution - state - province
    trace.append(
        TraceItem(
            "Người tham gia tự đóng",
            f"{vnd(contribution)} − {vnd(state)} − {vnd(province)}",
            vnd(member),
            "",
        )
    )
    return InsuranceResult(
        scheme, contribution, state, province, member, tuple(trace), tuple(look.used)
    )


def vsi(
    *,
    jurisdiction: str,
    on: datetime.date,
    groups: frozenset[Group] | set[Group] | list[Group],
    params: ParameterSource,
    income: int | None = None,
    months_supported: int = 0,
    monthly_support: int | None = None,
) -> InsuranceResult:
    """One month of VSI for a member, on the values in force on `on`.

    `income`: the monthly income the member chose (None: the jurisdiction's basis decides).
    `monthly_support`: the member's monthly support, used where the income basis is the support.
    """
    groups = frozenset(Group(g) for g in groups) or frozenset({Group.OTHER})
    if months_supported < 0:
        raise RuleError("Số tháng đã được Nhà nước hỗ trợ không được âm.")
    look = Lookup(params, jurisdiction, on)
    rate = look.national("vsi.rate")
    floor = look.national("rural_poverty_line")
    trace = [
        TraceItem("Tỷ lệ đóng BHXH tự nguyện", "", shown(rate), rate.citation),
        TraceItem(
            "Mức thu nhập thấp nhất (chuẩn nghèo nông thôn)", "", shown(floor), floor.citation
        ),
    ]
    income = _vsi_income(look, trace, on, floor, income=income, monthly_support=monthly_support)
    contribution = percent_of(rate, income)
    trace.append(
        TraceItem(
            "Mức đóng hằng tháng",
            f"{shown(rate)} × {vnd(income)}, làm tròn đến đồng",
            vnd(contribution),
            rate.citation,
        )
    )
    floor_contribution = percent_of(rate, floor.whole)
    trace.append(
        TraceItem(
            "Mức đóng tính theo chuẩn nghèo nông thôn (căn cứ tính hỗ trợ)",
            f"{shown(rate)} × {floor.shown}",
            vnd(floor_contribution),
            floor.citation,
        )
    )
    state = _vsi_state_support(look, trace, groups, months_supported, floor_contribution)
    mode = _mode(look, "vsi.province.mode", VSI_PROVINCE_MODES)
    province = _vsi_province_top_up(look, trace, mode, floor_contribution, state, contribution)
    return _finish(Scheme.VSI, look, trace, contribution, state, province, mode.citation)


def _vsi_income(
    look: Lookup,
    trace: list[TraceItem],
    on: datetime.date,
    floor: ParameterValue,
    *,
    income: int | None,
    monthly_support: int | None,
) -> int:
    """The income the contribution is a share of: the member's choice, their monthly support
    where the province says so, or the floor; between the floor and the ceiling."""
    base = look.national("base_salary")
    multiple = look.national("vsi.income_ceiling_multiple")
    ceiling = round_vnd(multiple.number * base.number)
    trace.append(
        TraceItem(
            "Mức thu nhập cao nhất",
            f"{shown(multiple)} × {base.shown}",
            vnd(ceiling),
            multiple.citation,
        )
    )
    basis = look.find("vsi.income_basis")
    if income is None and basis is not None and basis.value == "monthly_support":
        if monthly_support is None:
            raise RuleError(
                "Ở địa phương này mức thu nhập làm căn cứ đóng BHXH tự nguyện bằng mức hỗ trợ "
                "hằng tháng: cần chọn chức danh trong Tổ hoặc nhập mức thu nhập."
            )
        income = monthly_support
        trace.append(
            TraceItem(
                "Mức thu nhập làm căn cứ đóng",
                "bằng mức hỗ trợ hằng tháng của thành viên",
                vnd(income),
                basis.citation,
            )
        )
    elif income is None:
        income = floor.whole
        trace.append(
            TraceItem(
                "Mức thu nhập làm căn cứ đóng",
                "không nhập: lấy mức thấp nhất (chuẩn nghèo nông thôn)",
                vnd(income),
                floor.citation,
            )
        )
    else:
        trace.append(
            TraceItem("Mức thu nhập làm căn cứ đóng", "người tham gia lựa chọn", vnd(income), "")
        )
    if income < floor.whole:
        raise RuleError(
            f"Mức thu nhập làm căn cứ đóng BHXH tự nguyện {vnd(income)} thấp hơn mức thấp nhất "
            f"{floor.shown} (chuẩn nghèo khu vực nông thôn) áp dụng ngày {format_date(on)}. "
            "Hãy chọn mức thu nhập từ chuẩn nghèo nông thôn trở lên."
        )
    if income > ceiling:
        raise RuleError(
            f"Mức thu nhập làm căn cứ đóng BHXH tự nguyện {vnd(income)} cao hơn mức cao nhất "
            f"{vnd(ceiling)} ({multiple.shown} lần mức lương cơ sở {base.shown}) áp dụng ngày "
            f"{format_date(on)}."
        )
    return income


def _vsi_state_support(
    look: Lookup,
    trace: list[TraceItem],
    groups: frozenset[Group],
    months_supported: int,
    floor_contribution: int,
) -> int:
    """The central state's share: its rate for the member's best group × the contribution at
    the floor, while the member has supported months left."""
    supports = {g: look.national(f"vsi.state_support.{g}") for g in sorted(groups)}
    best = max(supports, key=lambda g: supports[g].value)
    percent = supports[best]
    max_months = look.national("vsi.state_support.max_months")
    if months_supported >= max_months.whole:
        trace.append(
            TraceItem(
                "Nhà nước hỗ trợ",
                f"đã được hỗ trợ {months_supported} tháng, hết thời gian hỗ trợ tối đa "
                f"{max_months.value} tháng",
                vnd(0),
                max_months.citation,
            )
        )
        return 0
    state = percent_of(percent, floor_contribution)
    note = " (nhóm có mức cao nhất)" if len(groups) > 1 else ""
    trace.append(
        TraceItem(
            f"Nhà nước hỗ trợ: {best.label}{note}",
            f"{shown(percent)} × {vnd(floor_contribution)}, làm tròn đến đồng; "
            f"tháng hỗ trợ thứ {months_supported + 1}/{max_months.value}",
            vnd(state),
            percent.citation,
        )
    )
    return state


def _vsi_province_top_up(
    look: Lookup,
    trace: list[TraceItem],
    mode: ParameterValue,
    floor_contribution: int,
    state: int,
    contribution: int,
) -> int:
    """The province's top-up in its mode (VSI_PROVINCE_MODES), before `_finish` caps it."""
    if mode.value == "none":
        province, formula = 0, VSI_PROVINCE_MODES["none"]
    elif mode.value == "fixed":
        amount = look.get("vsi.province.amount")
        province, formula = amount.whole, f"mức cố định {shown(amount)}"
    else:
        pct = look.get("vsi.province.percent")
        base_amount = {
            "percent_of_floor": floor_contribution,
            "percent_of_floor_remainder": max(floor_contribution - state, 0),
            "percent_of_remainder": contribution - state,
        }[mode.choice]
        province = percent_of(pct, base_amount)
        formula = f"{shown(pct)} × {vnd(base_amount)} ({VSI_PROVINCE_MODES[mode.choice]}), làm tròn đến đồng"
    trace.append(TraceItem("Tỉnh hỗ trợ thêm", formula, vnd(province), mode.citation))
    return province


def hi(
    *,
    jurisdiction: str,
    on: datetime.date,
    params: ParameterSource,
    household_position: int | None = None,
) -> InsuranceResult:
    """One month of HI for a member. `household_position`: the member's place (1, 2, …) in the
    household's HI enrolment; None = not enrolled with a household (the full rate). 5 and
    above all pay the 5th-and-later share."""
    look = Lookup(params, jurisdiction, on)
    rate = look.national("hi.rate")
    base = look.national("base_salary")
    trace = [TraceItem("Mức lương cơ sở", "", shown(base), base.citation)]
    if household_position is None or household_position == 1:
        contribution = percent_of(rate, base.whole)
        who = "" if household_position is None else " (người thứ nhất trong hộ)"
        trace.append(
            TraceItem(
                f"Mức đóng BHYT hằng tháng{who}",
                f"{shown(rate)} × {base.shown}, làm tròn đến đồng",
                vnd(contribution),
                rate.citation,
            )
        )
    else:
        if household_position < 1:
            raise RuleError("Thứ tự trong hộ gia đình tham gia BHYT phải từ 1 trở lên.")
        n = min(household_position, HOUSEHOLD_POSITIONS[-1])
        share = look.national(f"hi.household_share.{n}")
        contribution = round_vnd(rate.number * base.whole / 100 * share.number / 100)
        place = f"người thứ {household_position}" + (" (từ người thứ 5 trở đi)" if n == 5 else "")
        trace.append(
            TraceItem(
                f"Mức đóng BHYT hằng tháng: {place} trong hộ",
                f"{shown(share)} × {shown(rate)} × {base.shown}, làm tròn đến đồng",
                vnd(contribution),
                share.citation,
            )
        )
    percent = look.national("hi.state_support.antt")
    state = percent_of(percent, contribution)
    trace.append(
        TraceItem(
            "Ngân sách nhà nước hỗ trợ",
            f"{shown(percent)} × {vnd(contribution)}, làm tròn đến đồng",
            vnd(state),
            percent.citation,
        )
    )
    mode = _mode(look, "hi.province.mode", HI_PROVINCE_MODES)
    if mode.value == "none":
        province, formula = 0, HI_PROVINCE_MODES["none"]
    elif mode.value == "fixed":
        amount = look.get("hi.province.amount")
        province, formula = amount.whole, f"mức cố định {shown(amount)}"
    else:
        pct = look.get("hi.province.percent")
        base_amount = (
            contribution if mode.value == "percent_of_contribution" else contribution - state
        )
        province = percent_of(pct, base_amount)
        formula = f"{shown(pct)} × {vnd(base_amount)} ({HI_PROVINCE_MODES[mode.choice]}), làm tròn đến đồng"
    trace.append(TraceItem("Tỉnh hỗ trợ thêm", formula, vnd(province), mode.citation))
    return _finish(Scheme.HI, look, trace, contribution, state, province, mode.citation)
