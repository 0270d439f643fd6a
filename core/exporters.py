"""Spreadsheet exports: one small class per export, one function to write it.

An exporter names itself (`identifier`, `verbose_name`), may carry title lines, and yields a
header row then data rows of plain values; `to_xlsx` writes them with openpyxl's write-only
mode (10,000 rows in about a second) with dates as real dates and amounts as numbers, so a
finance officer can sum them in Excel.

Text is text (formula injection): a value typed by a person that starts with one of
`FORMULA_STARTS` (`=HYPERLINK("http://…")` as a name, `+`, `-`, `@`, a tab or a carriage
return) is written as a string cell with Excel's quote prefix, so it neither opens as a live
formula nor becomes one when someone edits the cell. `keep_text` is the one place that decides;
every workbook the app writes (these exporters and the roster's `teams.roster_io.writer`) goes
through it.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise

from .formatting import ascii_slug

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What Excel (and LibreOffice, Google Sheets) read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_text(cell):
    """Make a cell holding a formula-like string a plain text cell (quote-prefixed); other
    cells are returned as they are. Works on normal and write-only cells."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


class Exporter:
    identifier = ""
    verbose_name = ""
    #: Lines written above the table (document title, unit, period).
    title_lines: tuple[str, ...] = ()
    #: Column widths in characters, in header order (optional).
    widths: tuple[int, ...] = ()

    def rows(self) -> Iterator[list]:
        """Yield the header row, then one list of plain values per data row."""
        raise NotImplementedError


def to_xlsx(exporter: Exporter) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(exporter.verbose_name or "Sheet")[:31])
    for i, width in enumerate(exporter.widths):
        sheet.column_dimensions[_column_letter(i)].width = width
    bold = Font(bold=True)
    for line in exporter.title_lines:
        cell = keep_text(WriteOnlyCell(sheet, value=_plain(line)))
        cell.font = bold
        sheet.append([cell])
    if exporter.title_lines:
        sheet.append([])
    rows = exporter.rows()
    header = next(rows)
    header_cells = []
    for title in header:
        cell = keep_text(WriteOnlyCell(sheet, value=_plain(title)))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, int) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0"
        return cell
    value = _plain(value)
    if is_formula_like(value):
        return keep_text(WriteOnlyCell(sheet, value=value))
    return value


def _plain(value):
    """Translatable labels (lazy strings) become text; openpyxl accepts only plain types."""
    return str(value) if isinstance(value, Promise) else value


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_response(exporter: Exporter, filename: str) -> HttpResponse:
    with translation.override("vi"):  # spreadsheets go to the same offices as the PDFs
        content = to_xlsx(exporter)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ascii_slug(filename)}.xlsx"'
    return response
