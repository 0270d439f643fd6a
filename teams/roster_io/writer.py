"""Workbooks out: the blank template (with drop-down lists and a guide) and the export of any
list of memberships, both with the columns of `teams.roster_io.columns`.

Dates are real dates shown dd/mm/yyyy, so that Excel sorts and filters them; text typed by
people stays text: a value starting with "=", "+", "-" or "@" is stored as a quote-prefixed
string, never as a formula (formula injection: `=HYPERLINK(…)` in a name must not become a live
link), by `core.exporters.keep_text`, the one place for it.
"""

from __future__ import annotations

import io

from core.exporters import keep_text
from core.formatting import format_number

from .columns import EXPORT, TEMPLATE, Column
from .reader import SHEET_NAME, max_file_mb, max_rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
WIDTHS = {"full_name": 24, "residence_address": 34, "team": 26, "commune": 20}

GUIDE = [
    "NHẬP DANH SÁCH TỔ BẢO VỆ AN NINH, TRẬT TỰ TỪ EXCEL",
    "",
    "1. Mỗi dòng của trang «Danh sách» là một thành viên đang tham gia; dòng 1 là tiêu đề cột, giữ nguyên.",
    "2. Cột «Tổ bảo vệ ANTT»: tên Tổ đã thành lập trên hệ thống, hoặc tên khu dân cư mà Tổ phụ trách.",
    "3. Ngày ghi dạng ngày/tháng/năm, ví dụ 05/07/2024 (các cột ngày hiện ngày/tháng/năm; nếu ngày hiện ra khác ngày đã gõ vì máy dùng kiểu tháng/ngày/năm, gõ thêm dấu ' ở đầu: '05/07/2024). Số CCCD đủ 12 chữ số (cột đã định dạng Văn bản).",
    "4. Các cột có danh sách chọn: xem trang «Danh mục». Kiêm nhiệm: nhiều chức danh cách nhau bởi dấu ;",
    "5. Người từ đủ 18 đến 70 tuổi vào ngày bắt đầu; trên 70 tuổi ghi số, ngày văn bản chấp thuận của Chủ tịch UBND xã.",
    "6. Cư trú tại địa phương ít nhất 01 năm; trình độ trung học cơ sở trở lên (tiểu học ở vùng ghi tại cột «Vùng áp dụng trình độ tiểu học»).",
    "7. Tổ đã đủ định mức thì ghi «Lý do vượt định mức» nếu vẫn bổ sung.",
    "8. Mỗi tệp tối đa {rows} dòng, {mb} MB.",
    "9. Hệ thống kiểm tra toàn bộ tệp trước; chỉ cần một dòng lỗi thì chưa nhập dòng nào. Sửa các lỗi được liệt kê rồi tải lên lại.",
    "10. Người đã có trong danh sách của Tổ (cùng số CCCD) thì dòng đó cập nhật thông tin của người đó.",
    "",
    "Căn cứ: Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở số 30/2023/QH15, Điều 13, 16, 17.",
]


def template_xlsx() -> bytes:
    return _workbook(TEMPLATE, [], title="Mẫu danh sách Tổ bảo vệ ANTT", with_lists=True)


def export_xlsx(queryset, *, title: str) -> bytes:
    """Any list of memberships (the filters of the roster page), with every column."""
    if hasattr(queryset, "select_related"):
        queryset = queryset.select_related("person", "team__commune")
    rows = ([column.write(m) for column in EXPORT] for m in queryset)
    return _workbook(EXPORT, rows, title=title, with_lists=False)


def _workbook(columns: list[Column], rows, *, title: str, with_lists: bool) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append([column.header for column in columns])
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1D4F82")
    dates = []
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.name, 16)
        # What officers type later in the template: text stays text, dates show dd/mm/yyyy.
        if column.is_text:
            sheet.column_dimensions[letter].number_format = "@"
        elif column.is_date:
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            dates.append(i)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        sheet.append(row)
        for i in range(1, len(row) + 1):
            # Text typed by people is text: "=…" must not become a formula when the file opens.
            keep_text(sheet.cell(row=number, column=i))
        for i in dates:
            sheet.cell(row=number, column=i).number_format = DATE_FORMAT
    if with_lists:
        _lists(book, sheet, columns)
        guide = book.create_sheet("Hướng dẫn")
        for line in GUIDE:
            guide.append([line.format(rows=format_number(max_rows()), mb=max_file_mb())])
        guide.column_dimensions["A"].width = 120
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lists(book, sheet, columns: list[Column]) -> None:
    """A sheet «Danh mục» with the allowed values of each list column, and a drop-down list on
    that column of the roster sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = book.create_sheet("Danh mục")
    listed = [(i, column) for i, column in enumerate(columns, start=1) if column.is_list]
    for j, (target, column) in enumerate(listed, start=1):
        labels = list(column.cell.labels.values())
        lists.cell(row=1, column=j, value=column.header)
        for r, label in enumerate(labels, start=2):
            lists.cell(row=r, column=j, value=label)
        letter = get_column_letter(j)
        validation = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chọn một giá trị trong danh sách.",
        )
        target_letter = get_column_letter(target)
        validation.add(f"{target_letter}2:{target_letter}{max_rows() + 1}")
        sheet.add_data_validation(validation)
