"""Grassroots mediation (hòa giải ở cơ sở): the figures and tests of Law 35/2013/QH13, Decree
15/2014/NĐ-CP and the district plan of seed 004 (Mỹ Tú, 127/KH-UBND), as pure functions.

- **Mediators** are recognised by decision of the commune chairman within 5 working days of
  receiving the Front's list (Law Art. 8 cl. 3): `decision_deadline`, `decision_late`.
  Working days are Monday to Friday; public holidays (Tết, 30/4, 2/9…) are not modelled, so a
  decision made after a holiday may be flagged late although it was not — the page says
  "kiểm tra lại nếu có ngày nghỉ lễ".
- **The leader** is elected by more than 50 % of the mediators (Law Art. 12 cl. 2):
  `leader_election_problem`.
- **A team** has at least 3 mediators, including a woman (and an ethnic-minority mediator where
  the area has minorities) (Law Art. 12 cl. 1): `composition_problems` names the article.
- **A case** starts within 3 days of assignment (Law Art. 20 cl. 1): `start_late`.
- **Success rate** = thành ÷ (thành + không thành). Open cases (đang giải quyết) and
  out-of-scope matters (Art. 3) count neither way: `success_rate`.
- **Indicators against targets**: the plan's targets are data (another district's plan is
  another row); "trên 95 %" is strict, "từ 85 % trở lên" is not: `meets`.
- **Remuneration** per case per team, successful or not, when the case ended properly (Decree
  15/2014 Art. 13 cl. 2): the province's amount (`mediation.per_case`, by the HĐND resolution of
  the pre-merger province) capped at the national ceiling (`mediation.case_ceiling`, TTLT
  100/2014/TTLT-BTC-BTP Art. 4 cl. 19; its successor Circular 56/2023/TT-BTC's figure is
  UNVERIFIED, so the value after 06/10/2023 is marked so): `case_remuneration`. The value in
  force on the day the case closed applies, so a resolution that starts mid-quarter pays the
  cases closed before it at the old amount.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from .base import AmountResult, RuleError, TraceItem
from .parameters import ParameterSource
from .support import Lookup, shown, vnd

MODULE = "rules.mediation"
LAW = "Luật Hòa giải ở cơ sở số 35/2013/QH13"
ART_8_3 = f"{LAW}, Điều 8 khoản 3"
ART_12_1 = f"{LAW}, Điều 12 khoản 1"
ART_12_2 = f"{LAW}, Điều 12 khoản 2"
ART_20_1 = f"{LAW}, Điều 20 khoản 1"
DECREE_15_ART_13 = "Nghị định 15/2014/NĐ-CP, Điều 13 khoản 2"

PER_CASE = "mediation.per_case"
CEILING = "mediation.case_ceiling"
PARAMETER_KEYS = [PER_CASE, CEILING]

DECISION_WORKING_DAYS = 5
START_DAYS = 3
MIN_MEDIATORS = 3


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `day`; holidays are not modelled."""
    current = day
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def decision_deadline(list_received_on: datetime.date) -> datetime.date:
    return add_working_days(list_received_on, DECISION_WORKING_DAYS)


def decision_late(
    list_received_on: datetime.date | None,
    decision_date: datetime.date | None,
    today: datetime.date,
) -> bool:
    """A recognition decision made (or still missing) after the 5th working day."""
    if list_received_on is None:
        return False
    deadline = decision_deadline(list_received_on)
    return (decision_date or today) > deadline


def leader_election_problem(*, votes: int, mediators: int) -> str | None:
    """Why an election does not elect (None when it does): more than half of the team's
    mediators must vote for the leader, and nobody can have more votes than there are voters."""
    if mediators <= 0:
        return "Tổ chưa có hòa giải viên nào: bầu tổ trưởng sau khi công nhận hòa giải viên."
    if votes < 0:
        return "Số phiếu không được âm."
    if votes > mediators:
        return (
            f"Số phiếu bầu ({votes}) nhiều hơn số hòa giải viên của Tổ ({mediators}): "
            "kiểm tra lại biên bản bầu."
        )
    if votes * 2 <= mediators:
        return (
            f"Tổ trưởng phải được quá 50 % hòa giải viên bầu ({ART_12_2}): {votes}/{mediators} "
            f"phiếu chưa quá nửa, cần ít nhất {mediators // 2 + 1} phiếu."
        )
    return None


def composition_problems(
    *, mediators: int, women: int, minority_area: bool = False, minority_mediators: int = 0
) -> list[str]:
    problems = []
    if mediators < MIN_MEDIATORS:
        problems.append(
            f"Chỉ có {mediators} hòa giải viên, cần ít nhất {MIN_MEDIATORS} ({ART_12_1})."
        )
    if women < 1:
        problems.append(f"Chưa có hòa giải viên nữ ({ART_12_1}).")
    if minority_area and minority_mediators < 1:
        problems.append(
            f"Khu dân cư có đồng bào dân tộc thiểu số nhưng Tổ chưa có hòa giải viên là người dân "
            f"tộc thiểu số ({ART_12_1})."
        )
    return problems


def start_late(
    assigned_on: datetime.date | None, started_on: datetime.date | None, today: datetime.date
) -> bool:
    """Mediation started (or still not started) more than 3 days after assignment."""
    if assigned_on is None:
        return False
    return (started_on or today) > assigned_on + datetime.timedelta(days=START_DAYS)


def success_rate(success: int, failure: int) -> Fraction | None:
    """thành ÷ (thành + không thành); None when no case has ended either way. Open cases and
    out-of-scope matters are not passed in: they count neither way."""
    ended = success + failure
    return Fraction(success, ended) if ended else None


def ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def meets(value: Fraction | None, target_percent: Fraction, *, strict: bool) -> bool | None:
    """Whether `value` (a ratio) reaches the target (a percent): "trên 95 %" is strict (95 %
    does not meet it), "từ 85 % trở lên" is not (85 % does). None when there is nothing to
    measure."""
    if value is None:
        return None
    percent = value * 100
    return percent > target_percent if strict else percent >= target_percent


def case_remuneration(
    *,
    jurisdiction: str,
    closed_on: datetime.date | None,
    ended: bool,
    params: ParameterSource,
    in_scope: bool = True,
) -> AmountResult:
    """The remuneration of one case for its team (Decree 15/2014 Art. 13 cl. 2)."""
    if not in_scope:
        raise RuleError(
            "Vụ việc không thuộc phạm vi hòa giải ở cơ sở (Điều 3): không tính thù lao."
        )
    if not ended or closed_on is None:
        raise RuleError(
            "Vụ việc đang giải quyết: chỉ tính thù lao khi vụ việc đã kết thúc (thành hoặc "
            "không thành) và có ngày kết thúc."
        )
    look = Lookup(params, jurisdiction, closed_on)
    per_case = look.get(PER_CASE)
    ceiling = look.national(CEILING)
    if not isinstance(per_case.value, int) or not isinstance(ceiling.value, int):
        raise RuleError("Mức thù lao hòa giải phải là số đồng (đơn vị vnd).")
    amount = min(per_case.value, ceiling.value)
    trace = [
        TraceItem(
            "Mức thù lao mỗi vụ việc của tỉnh", "mức cố định", shown(per_case), per_case.citation
        ),
        TraceItem("Mức chi tối đa toàn quốc", "mức trần", shown(ceiling), ceiling.citation),
    ]
    if per_case.value > ceiling.value:
        trace.append(
            TraceItem("Vượt mức trần: chi bằng mức trần", "", vnd(amount), ceiling.citation)
        )
    trace.append(
        TraceItem("Thù lao vụ việc", "một vụ việc / một Tổ", vnd(amount), DECREE_15_ART_13)
    )
    return AmountResult(amount, per_case.citation, tuple(trace), MODULE, tuple(look.used))
