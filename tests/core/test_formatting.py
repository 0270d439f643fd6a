import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import amount_in_words, document_date_line, format_date, format_vnd


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(0, "0 đ"), (1_100_000, "1.100.000 đ"), (999, "999 đ"), (-52_650, "-52.650 đ")],
)
def test_vnd(amount, shown):
    assert format_vnd(amount) == shown


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (10_010, "Mười nghìn không trăm mười đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
        (1_100_000, "Một triệu một trăm nghìn đồng"),
        (1_250_500, "Một triệu hai trăm năm mươi nghìn năm trăm đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (10_000_000, "Mười triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (2_000_000_005, "Hai tỷ không trăm linh năm đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
        (-52_650, "Âm năm mươi hai nghìn sáu trăm năm mươi đồng"),
    ],
)
def test_amount_in_words_follows_the_accountants_convention(amount, words):
    # domain.md §13: "không trăm" for an empty hundreds after the first group, "linh" for a
    # units digit after a zero tens, an empty group skipped, mốt / tư / lăm after a tens digit.
    assert amount_in_words(amount) == words


_DIGIT_WORDS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
    "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip


def _parse_group(words: list[str], *, full: bool) -> int:
    """A group of three digits read back; a group after the first must say its hundreds."""
    if full:
        assert len(words) >= 2 and words[1] == "trăm", f"no hundreds in {words}"
    value, i = 0, 0
    if len(words) >= 2 and words[1] == "trăm":
        value, i = 100 * _DIGIT_WORDS[words[0]], 2
    rest = words[i:]
    if rest[:1] == ["linh"]:
        assert i == 2 and len(rest) == 2 and rest[1] not in {"mốt", "tư", "lăm"}
        return value + _DIGIT_WORDS[rest[1]]
    if rest[:1] == ["mười"]:
        value, rest = value + 10, rest[1:]
        assert rest in ([], ["lăm"]) or rest[0] not in {"mốt", "tư", "năm"}
    elif len(rest) >= 2 and rest[1] == "mươi":
        value, rest = value + 10 * _DIGIT_WORDS[rest[0]], rest[2:]
        assert rest[:1] not in (["một"], ["năm"])  # 21 is "mốt", 25 is "lăm"
    else:
        assert i == 0 or not rest, f"units without tens or linh in {words}"
    if rest:
        assert len(rest) == 1
        value += _DIGIT_WORDS[rest[0]]
    return value


def _parse_words(words: list[str], *, leading: bool = True) -> int:
    if "tỷ" in words:
        at = len(words) - 1 - words[::-1].index("tỷ")
        return _parse_words(words[:at], leading=leading) * 10**9 + _parse_words(
            words[at + 1 :], leading=False
        )
    total, group, first = 0, [], leading
    for word in [*words, ""]:
        if word in {"triệu", "nghìn", ""}:
            if group:
                total += (
                    _parse_group(group, full=not first)
                    * {"triệu": 10**6, "nghìn": 1000, "": 1}[word]
                )
                first = False
            group = []
        else:
            group.append(word)
    return total


def parse_amount_words(text: str) -> int:
    words = text.removesuffix(" đồng").lower().split()
    if words == ["không"]:
        return 0
    sign = -1 if words[0] == "âm" else 1
    return sign * _parse_words(words[1:] if sign < 0 else words)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amount_in_words_reads_back_as_the_number(amount):
    assert parse_amount_words(amount_in_words(amount)) == amount


def test_the_parser_refuses_the_everyday_forms_the_documents_must_not_print():
    for wrong in ("Một triệu năm nghìn đồng", "Mười nghìn lẻ mười đồng"):
        with pytest.raises((AssertionError, KeyError)):
            parse_amount_words(wrong)


def test_every_document_says_the_amount_in_words_through_the_one_function():
    from pathlib import Path

    import allowances.selectors
    import insurance.selectors
    from core.templatetags import vn

    assert allowances.selectors.amount_in_words is amount_in_words
    assert insurance.selectors.amount_in_words is amount_in_words
    assert vn.register.filters["bang_chu"] is amount_in_words
    root = Path(__file__).resolve().parents[2]
    folders = [d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")]
    for path in [p for d in folders for p in (*d.rglob("*.py"), *d.rglob("*.html"))]:
        if path.name == "test_formatting.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "import num2words" not in text and "from num2words" not in text, path


def test_document_date_line_pads_small_days_and_january_february():
    # Decree 30/2020/NĐ-CP: a zero before days below 10 and before months 1 and 2.
    assert document_date_line("Phú Thọ", datetime.date(2026, 11, 15)) == (
        "Phú Thọ, ngày 15 tháng 11 năm 2026"
    )
    assert document_date_line("Cần Thơ", datetime.date(2026, 2, 5)) == (
        "Cần Thơ, ngày 05 tháng 02 năm 2026"
    )
    assert document_date_line("Cần Thơ", datetime.date(2026, 3, 5)) == (
        "Cần Thơ, ngày 05 tháng 3 năm 2026"
    )


def test_format_date():
    assert format_date(datetime.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


def test_one_date_formatter_for_rules_code_and_templates():
    from django.template import engines

    from rules.dates import format_date as rules_format_date

    assert format_date is rules_format_date
    assert format_date(datetime.date(2024, 7, 5)) == "05/07/2024"
    assert format_date(None) == ""
    template = engines["django"].from_string(
        "{{ day|ngay }}|{{ at|ngay }}|{{ typed|ngay }}|{{ m|thang }}"
    )
    # 23:30 UTC on 31/12/2024 is already 01/01/2025 in Vietnam (UTC+7): dates are local.
    at = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    shown = template.render(
        {"day": datetime.date(2024, 7, 5), "at": at, "typed": "5/7", "m": datetime.date(2024, 8, 1)}
    )
    assert shown == "05/07/2024|01/01/2025||08/2024"
