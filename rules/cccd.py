"""The citizen identity number (số định danh cá nhân, printed on the CCCD / thẻ căn cước).

Twelve digits (Decree 137/2015/NĐ-CP Art. 7; domain.md §9):

====== =========================================================================
1–3    code of the province where the birth was registered: the **pre-2025**
       63-province code with a leading zero (025 Phú Thọ, 092 Cần Thơ, 094 Sóc
       Trăng). The number is fixed for life, so the 2025 merger changes nothing.
4      century and sex: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099,
       4/5 = 2100–2199, 6/7 = 2200s, 8/9 = 2300s
5–6    last two digits of the birth year
7–12   random
====== =========================================================================

The valid province codes come from the official `vietnam-provinces` legacy data, never from a
list typed here. The functions take plain values and return messages meant for the person
typing the number: Vietnamese, translated (Django's gettext, at call time) when the person reads
the site in another language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .names import PROVINCES

MALE = "nam"
FEMALE = "nu"
SEX_LABELS = {MALE: gettext_lazy("nam"), FEMALE: gettext_lazy("nữ")}
LENGTH = 12
# Spaces, dots and dashes people type or paste between groups of digits ("025 085 001 234").
_SEPARATORS = re.compile(r"[\s.\-]")


@cache
def province_codes() -> dict[str, str]:
    """Three-digit birth-registration codes ("025") → province name, from the official
    pre-2025 list (63 provinces)."""
    return {f"{code:03d}": name for code, name in PROVINCES.items()}


def normalize(text: str | int | None) -> str:
    """The number as typed, without separators. Does not validate."""
    if text is None:
        return ""
    return _SEPARATORS.sub("", str(text))


def century_digit(year: int, sex: str) -> int | None:
    """Digit 4 for a birth year and sex, or None for a year the scheme does not cover."""
    century = year // 100 - 19
    if not 0 <= century <= 4:
        return None
    return century * 2 + (1 if sex == FEMALE else 0)


@dataclass(frozen=True)
class CccdFacts:
    """What a well-formed number says about its holder."""

    number: str
    province_code: str
    province_name: str
    sex: str  # MALE or FEMALE
    birth_year: int


class CccdError(ValueError):
    """The number is malformed; the message says what is wrong, in Vietnamese."""


def parse(text: str | int | None) -> CccdFacts:
    """Read a number's structure; raise CccdError when it is not a possible CCCD number."""
    number = normalize(text)
    if not number:
        raise CccdError(_("Chưa nhập số CCCD."))
    if not number.isdigit() or not number.isascii():
        raise CccdError(
            _("Số CCCD «%(text)s» chỉ được gồm chữ số (12 chữ số, không có chữ cái).")
            % {"text": text}
        )
    if len(number) != LENGTH:
        message = _("Số CCCD phải gồm đúng 12 chữ số (đang có %(n)s).") % {"n": len(number)}
        if len(number) == LENGTH - 1:
            message += " " + _(
                "Có thể Excel đã bỏ mất số 0 ở đầu: định dạng cột là Văn bản (Text)."
            )
        raise CccdError(message)
    province = number[:3]
    names = province_codes()
    if province not in names:
        raise CccdError(
            _(
                "Ba chữ số đầu «%(code)s» không phải mã tỉnh nơi đăng ký khai sinh (mã của 63 "
                "tỉnh, thành phố trước năm 2025, ví dụ 025 Phú Thọ, 092 Cần Thơ, 094 Sóc Trăng)."
            )
            % {"code": province}
        )
    digit = int(number[3])
    return CccdFacts(
        number=number,
        province_code=province,
        province_name=names[province],
        sex=FEMALE if digit % 2 else MALE,
        birth_year=1900 + (digit // 2) * 100 + int(number[4:6]),
    )


def problems(
    text: str | int | None, *, birth_date: datetime.date | None = None, sex: str | None = None
) -> list[str]:
    """Everything wrong with `text` as the number of someone born on `birth_date` with `sex`
    (either may be unknown). An empty list means the number fits."""
    try:
        facts = parse(text)
    except CccdError as exc:
        return [str(exc)]
    found = []
    digit = facts.number[3]
    if sex in SEX_LABELS and facts.sex != sex:
        found.append(
            _(
                "Chữ số thứ 4 của số CCCD là «%(digit)s» (giới tính %(found)s) nhưng giới tính "
                "đã chọn là %(chosen)s: chữ số chẵn là nam, lẻ là nữ."
            )
            % {"digit": digit, "found": SEX_LABELS[facts.sex], "chosen": SEX_LABELS[sex]}
        )
    if birth_date is not None:
        year = birth_date.year
        expected = century_digit(year, sex if sex in SEX_LABELS else facts.sex)
        first, last = 1900 + (int(digit) // 2) * 100, 1999 + (int(digit) // 2) * 100
        if expected is None:
            found.append(
                _("Năm sinh %(year)s nằm ngoài phạm vi của số CCCD (từ năm 1900).") % {"year": year}
            )
        elif facts.birth_year // 100 != year // 100:
            found.append(
                _(
                    "Chữ số thứ 4 của số CCCD là «%(digit)s» (sinh trong các năm "
                    "%(first)s–%(last)s) nhưng năm sinh là %(year)s: với người sinh năm "
                    "%(year)s chữ số này phải là %(expected)s."
                )
                % {"digit": digit, "first": first, "last": last, "year": year, "expected": expected}
            )
        if facts.number[4:6] != f"{year % 100:02d}":
            found.append(
                _(
                    "Chữ số thứ 5–6 của số CCCD là «%(found)s» nhưng năm sinh là %(year)s: phải "
                    "là «%(expected)s»."
                )
                % {"found": facts.number[4:6], "year": year, "expected": f"{year % 100:02d}"}
            )
    return found


def make_number(
    *, province_code: str, sex: str, birth_year: int, serial: int
) -> str:  # used by the demo and the tests
    """A well-formed number: province, century/sex digit, year, 6-digit serial."""
    digit = century_digit(birth_year, sex)
    if digit is None or not 0 <= serial < 1_000_000:
        raise ValueError("năm sinh hoặc số ngẫu nhiên không hợp lệ")
    return f"{int(province_code):03d}{digit}{birth_year % 100:02d}{serial:06d}"
