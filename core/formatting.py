"""How money, numbers and dates look to Vietnamese users and on official documents."""

import datetime
import re
import unicodedata

# dd/mm/yyyy: one implementation, in the bottom layer, because rule messages cite dates too.
from rules.dates import format_date

__all__ = [
    "amount_in_words",
    "ascii_slug",
    "document_date_line",
    "format_date",
    "format_number",
    "format_vnd",
]


def format_number(value: int | None) -> str:
    """1100000 → "1.100.000" (dots group thousands in Vietnamese)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


def format_vnd(value: int | None) -> str:
    """1100000 → "1.100.000 đ"."""
    if value is None or value == "":
        return ""
    return f"{format_number(value)} đ"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    """The last two digits of a group. "linh" stands for a zero tens before a units digit when
    something comes before it (105 → "một trăm linh năm"); after a tens digit, 1 is "mốt"
    (from 21 on), 4 is "tư" (from 24 on) and 5 is "lăm" (from 15 on)."""
    if tens == 0:
        if units == 0:
            return []
        return ["linh", _DIGITS[units]] if after_hundreds else [_DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """One group of three digits. `full` for every group after the first: it says its
    hundreds even when they are zero ("không trăm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    if not full and hundreds == 0:
        return _tens_and_units(tens, units, after_hundreds=False)
    return [_DIGITS[hundreds], "trăm", *_tens_and_units(tens, units, after_hundreds=True)]


def _below_billion(value: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    first = leading
    for group, scale in (
        (value // 1_000_000, "triệu"),
        (value // 1000 % 1000, "nghìn"),
        (value % 1000, ""),
    ):
        if group == 0:
            continue  # an empty group is not read at all: 1.000.005 = "một triệu không trăm linh năm"
        words += _group(group, full=not first)
        if scale:
            words.append(scale)
        first = False
    return words


def _number_words(value: int, *, leading: bool = True) -> list[str]:
    if value >= _BILLION:
        # Above a billion the count of billions is itself read as a number:
        # 1.500.000.000.000 = "một nghìn năm trăm tỷ".
        head, tail = divmod(value, _BILLION)
        return [*_number_words(head, leading=leading), "tỷ", *_below_billion(tail, leading=False)]
    return _below_billion(value, leading=leading)


def amount_in_words(value: int) -> str:
    """The "Bằng chữ" line of every document: 1.005.000 → "Một triệu không trăm linh năm
    nghìn đồng". The one implementation; documents reach it through this function or the
    `|bang_chu` filter.

    The accountant's convention (domain.md §13): every group of three after the first says its
    hundreds, "không trăm" included; a units digit after a zero tens is "linh"; an empty group
    is skipped; "mốt", "tư", "lăm" after a tens digit (21, 24, 15). Written here, not delegated:
    the num2words package's Vietnamese drops the "không trăm" and says "lẻ" (10.010 →
    "mười nghìn lẻ mười"), which is not how payment documents are written.
    """
    amount = int(value)
    if amount == 0:
        return "Không đồng"
    words = _number_words(abs(amount))
    if amount < 0:
        words.insert(0, "âm")
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]} đồng"


def document_date_line(place: str, value: datetime.date) -> str:
    """The place-and-date line of an official document (Decree 30/2020/NĐ-CP):
    "Phú Thọ, ngày 15 tháng 11 năm 2026". Days and months below 10 take a leading zero only
    for days 1–9 and months 1–2 (Decree 30/2020, Appendix I, section II.5)."""
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {day} tháng {month} năm {value.year}"


def ascii_slug(text: str) -> str:
    """A file-name-safe form of Vietnamese text: "Danh sách chi trả Xã Tiên Kiên 08/2024" →
    "danh-sach-chi-tra-xa-tien-kien-08-2024" (đ becomes d, which Django's slugify would drop)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
