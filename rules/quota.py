"""Member quota shapes (Law 30/2023 Art. 14(3): the provincial People's Council sets them).

One shape covers every resolution seen so far: members by bands of the area's size, then,
optionally, one more member per full step above a size:

- Phú Thọ: bands 0:3, then +1 per full 175 households from 350 (xã, thị trấn) or per full
  500/3 households from 500 (phường), compared exactly, never rounded;
- Hà Nội: bands 0:3, 350:4, 500:5 households;
- TP.HCM: bands 0:3, 2701:4 residents, then +1 per full 900 residents above 3,600;
- Sóc Trăng: bands 0:3, 3000:4, 5000:5 residents;
- Cần Thơ: bands 0:3, 350:6, 750:7 households, as maxima ("tối đa");
- Hải Dương: bands 0:3, 800:4 households and a top band from 1,000 whose figure is unknown.

``quota_for_group`` reads the whole rule of one group of areas from parameters.
"""

from __future__ import annotations

import datetime
import math

from .base import AreaFacts, QuotaResult, RuleError, TraceItem
from .parameters import ParameterSource, ParameterValue, Unit, format_value


def banded_with_step(
    size: int,
    *,
    measure: str,
    bands: ParameterValue,
    step_from: ParameterValue | None = None,
    step_size: ParameterValue | None = None,
) -> tuple[int, list[TraceItem]]:
    """Members for an area of `size` (households or residents, named by `measure`)."""
    members = 0
    band_start = 0
    for start, band_members in bands.bands:
        if size >= start:
            members, band_start = band_members, start
    trace = [
        TraceItem(
            f"Số thành viên theo quy mô ({measure}: {format_value(size, Unit.COUNT)})",
            f"bậc từ {band_start}: {members} thành viên",
            str(members),
            bands.citation,
        )
    ]
    if step_from is not None and step_size is not None and size > step_from.number:
        step = step_size.number
        # Only full steps count: 524 households above 350 in steps of 175 add nothing.
        extra = math.floor((size - step_from.number) / step)
        if extra:
            members += extra
            trace.append(
                TraceItem(
                    "Thành viên tăng thêm",
                    f"⌊({size} − {step_from.value}) ÷ {format_value(step, step_size.unit)}⌋",
                    f"+{extra}",
                    step_size.citation,
                )
            )
    return members, trace


QUOTA_KINDS = {"exact": "đúng số", "maximum": "tối đa"}


def quota_for_group(
    area: AreaFacts,
    params: ParameterSource,
    on: datetime.date,
    *,
    jurisdiction: str,
    group: str,
    measure: str,
    citation: str,
    module: str,
) -> QuotaResult:
    """The whole quota rule of one group of areas, read from ``quota.<group>.*``:

    - ``bands`` (required): members by size;
    - ``step_from`` + ``step_size`` (optional, together): one more per full step;
    - ``top_from`` (optional): sizes from here are in a top band whose member count is
      ``top_members``. Used where the source names a top band without its figure (Hải Dương
      "từ 1.000 hộ trở lên", Cần Thơ above 999 households): until an administrator enters it,
      areas that large get a MissingParameters error instead of a wrong lower band;
    - ``kind`` (optional, ``exact`` or ``maximum``): whether the count is "up to"; absent means
      exact, as the earlier resolutions are written.

    `measure` is ``households`` or ``residents``.
    """
    size = area.households if measure == "households" else area.residents
    if size is None:
        raise RuleError(
            "Số thành viên tính theo quy mô dân số: cần nhập số nhân khẩu của khu dân cư."
        )
    if size < 0:
        raise RuleError("Số hộ, số nhân khẩu không được âm.")

    def find(part):
        return params.find(f"quota.{group}.{part}", jurisdiction=jurisdiction, on=on)

    bands = params.get(f"quota.{group}.bands", jurisdiction=jurisdiction, on=on)
    top_from = find("top_from")
    if top_from is not None and size >= top_from.number:
        top = params.get(f"quota.{group}.top_members", jurisdiction=jurisdiction, on=on)
        members = top.whole
        trace = [
            TraceItem(
                f"Số thành viên bậc từ {format_value(top_from.value, Unit.COUNT)}",
                f"{MEASURES[measure]}: {format_value(size, Unit.COUNT)}",
                str(members),
                top.citation,
            )
        ]
    else:
        step_from, step_size = find("step_from"), find("step_size")
        members, trace = banded_with_step(
            size,
            measure=MEASURES[measure],
            bands=bands,
            step_from=step_from,
            step_size=step_size,
        )
    kind = find("kind")
    maximum = kind is not None and kind.value == "maximum"
    if kind is not None and kind.value not in QUOTA_KINDS:
        raise RuleError(
            f"Tham số «{kind.label}» phải là exact hoặc maximum, không phải «{kind.value}»."
        )
    trace.append(
        TraceItem(
            "Số thành viên tối đa" if maximum else "Số thành viên",
            f"{QUOTA_KINDS['maximum' if maximum else 'exact']} {members} thành viên",
            str(members),
            kind.citation if kind is not None else citation,
        )
    )
    return QuotaResult(members, citation, tuple(trace), module, maximum)


MEASURES = {"households": "số hộ", "residents": "số nhân khẩu"}
