"""core.exporters: user text stays text in every workbook (formula injection, issue 16 §4)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from core.exporters import Exporter, is_formula_like, to_xlsx

NASTY = ['=HYPERLINK("http://evil.example","Bấm")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


class Nasty(Exporter):
    verbose_name = "Thử"
    title_lines = ("=TITLE()",)

    def rows(self):
        yield ["STT", "=Tên"]
        for i, text in enumerate(NASTY, start=1):
            yield [i, text, datetime.date(2024, 8, 1), "Nguyễn Văn An", -5]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", [*NASTY, "\tx", "\rx"])
def test_formula_starts(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "a=b", "", 5, -5, None])
def test_plain_values_are_not_formula_like(value):
    assert not is_formula_like(value)


def test_user_text_is_never_a_formula():
    content = to_xlsx(Nasty())
    assert "<f>" not in sheet_xml(content)  # no formula element anywhere in the sheet
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    for text in [*NASTY, "=TITLE()", "=Tên"]:
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text  # Excel keeps it text when the cell is edited
    # Other values keep their types: dates are dates, numbers numbers, ordinary text unprefixed.
    assert cells["Nguyễn Văn An"].quotePrefix is False
    assert isinstance(cells[datetime.datetime(2024, 8, 1)].value, datetime.datetime)
    assert cells[-5].data_type == "n"
