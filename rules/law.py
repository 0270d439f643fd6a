"""The figures Law 30/2023/QH15 (Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở) sets
itself, the same in every province: the day it took effect and the limits of Art. 13 (the
criteria for membership). Each is a value with its citation and the day it holds from, in one
place; the roster's checks (teams/validation.py) and the first month of allowance runs and the
first quarter of insurance lists read them here.

The law was passed on 28/11/2023 and took effect on 01/07/2024 (domain.md §1). A province's
figures (quotas, amounts) are parameters in fixtures/rules/, not here: these do not vary.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

LAW = "Luật 30/2023/QH15"
ART13 = f"{LAW}, Điều 13"


@dataclass(frozen=True)
class LawFigure[T]:
    value: T
    citation: str
    since: datetime.date  # the day the provision took effect


IN_FORCE = LawFigure(
    datetime.date(2024, 7, 1), f"{LAW} (thông qua ngày 28/11/2023)", datetime.date(2024, 7, 1)
)

# "từ đủ 18 tuổi đến 70 tuổi": someone aged 70 (not yet 71) is still within the limit; older
# only with the commune chair's approval.
MIN_AGE = LawFigure(18, f"{ART13}, khoản 1", IN_FORCE.value)
MAX_AGE = LawFigure(70, f"{ART13}, khoản 1", IN_FORCE.value)

# "cư trú ... từ 01 năm trở lên": completed years of permanent or temporary residence.
RESIDENCE_YEARS = LawFigure(1, f"{ART13}, khoản 4", IN_FORCE.value)
