"""How money, numbers and dates look to Vietnamese users and on official documents."""

import datetime
import re
import unicodedata

from num2words import num2words

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


def amount_in_words(value: int) -> str:
    """The "Bằng chữ" line of payment lists: 1100000 → "Một triệu một trăm nghìn đồng".

    num2words writes the everyday form ("một triệu năm mươi nghìn"); it omits the
    "không trăm" that some accountants insert, which does not change the amount.
    """
    amount = int(value)
    words = num2words(abs(amount), lang="vi")
    if amount < 0:
        words = f"âm {words}"
    return f"{words[0].upper()}{words[1:]} đồng"


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
