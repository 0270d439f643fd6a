"""Malformed roster files: each gets a clear Vietnamese message, and nothing changes.

(test_roster_excel.py covers the ordinary problems: wrong columns, .xls, Word, empty files, a
bad row among good ones. These are the files officers actually produce by accident.)
"""

from __future__ import annotations

import datetime
import io
import time
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams import roster_io
from teams.models import Membership, Person, RosterImport
from tests.builders import cccd_for
from tests.teams.test_roster_excel import HEADERS, big_workbook, row, run, workbook


def counts():
    return Person.objects.count(), Membership.objects.count(), Person.history.count()


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_error(report) -> str:
    """The one file-level message (row 0) of a refused file."""
    assert [e.row for e in report.errors] == [0], report.errors
    return report.errors[0].message


def two_rows():
    first = row()
    second = row("Lê Văn Hai", **{"Số CCCD": cccd_for(datetime.date(1980, 4, 2))})
    return first, second


@pytest.fixture
def unchanged(roster):
    """Asserts after the test that no person, membership or history row was written."""
    before = counts()
    yield roster
    assert counts() == before


# --- the file as a whole -----------------------------------------------------------------------


def test_the_list_on_another_sheet_is_found(unchanged):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Hướng dẫn nhập danh sách"])
    sheet = book.create_sheet("Sheet2")
    sheet.append(HEADERS)
    sheet.append([row().get(h) for h in HEADERS])
    report = run(unchanged, save(book), dry_run=True)
    assert report.errors == [] and report.rows == 1


def test_a_workbook_without_a_list_sheet_names_its_sheets(unchanged):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Hướng dẫn nhập danh sách"])
    book.create_sheet("Bảng lương").append(["Tháng", "Số tiền"])
    message = file_error(run(unchanged, save(book)))
    assert "Không tìm thấy trang danh sách" in message
    assert "«Hướng dẫn», «Bảng lương»" in message and "«Danh sách»" in message


def test_merged_cells_are_refused_with_their_place(unchanged):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in two_rows():
        sheet.append([r.get(h) for h in HEADERS])
    sheet["A3"] = None
    sheet.merge_cells("A2:A3")  # the team's name written once for both members
    message = file_error(run(unchanged, save(book)))
    assert "ô gộp (Merge) ở A2:A3" in message and "Unmerge" in message


def test_formulas_without_a_computed_value_are_refused(unchanged):
    book = openpyxl.Workbook()  # openpyxl, like many programs, stores no computed value
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([row().get(h) for h in HEADERS])
    sheet["B2"] = '=CONCATENATE("Vũ ","Văn Khải")'
    message = file_error(run(unchanged, save(book)))
    assert "Ô B2 chứa công thức chưa được tính ra giá trị" in message


def test_formulas_with_a_computed_value_are_read_as_that_value(unchanged):
    # The file as Excel saves it: the formula and its computed result.
    content = _replace_cell(
        workbook([row()]),
        "B2",
        '<c r="B2" t="str"><f>CONCATENATE("Vũ ","Văn Khải")</f><v>Vũ Văn Khải</v></c>',
    )
    report = run(unchanged, content, dry_run=True)
    assert report.errors == [] and report.preview[0].name == "Vũ Văn Khải"


def _replace_cell(content: bytes, ref: str, xml: str) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(f'<c r="{ref}"'.encode())
                end = data.index(b"</c>", start) + 4
                data = data[:start] + xml.encode() + data[end:]
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("01/08/2024", None),
        ("1/8/2024", None),
        ("2024-08-01", None),
        ("01.08.2024", None),
        ("ngày 1 tháng 8 năm 2024", "không phải ngày hợp lệ: nhập dạng ngày/tháng/năm"),
        ("32/13/2024", "không phải ngày hợp lệ"),
        ("45505", "không phải ngày hợp lệ"),  # an Excel serial number typed as text
        ("8/1/2024", "không được trước ngày 01/07/2024"),  # US order read as 8 January
    ],
)
def test_dates_typed_as_text(unchanged, typed, problem):
    report = run(unchanged, workbook([row(**{"Ngày bắt đầu": typed})]), dry_run=True)
    messages = [e.message for e in report.errors if e.column == "Ngày bắt đầu"]
    if problem is None:
        assert report.errors == [] and report.rows == 1
    else:
        assert len(messages) == 1 and problem in messages[0]
        assert not report.imported


@pytest.mark.parametrize(
    "content",
    [
        unicodedata.normalize("NFD", "Họ và tên;Số CCCD\nNguyễn Văn Ấn;025085000001\n").encode(
            "cp1258", errors="replace"
        ),
        "Họ và tên\tSố CCCD\n".encode("utf-16"),
        "Ho va ten,So CCCD\nA,1\n".encode("latin-1"),
    ],
    ids=["cp1258-csv", "utf16-tsv", "latin1-csv"],
)
def test_csv_in_any_encoding_is_refused(unchanged, content):
    assert "không phải tệp Excel .xlsx (có thể là CSV" in file_error(run(unchanged, content))


def test_100000_rows_are_refused_quickly(unchanged):
    content = big_workbook(100_000)
    started = time.perf_counter()
    message = file_error(run(unchanged, content))
    assert time.perf_counter() - started < 5
    assert "Tệp có hơn 10.000 dòng dữ liệu" in message


def test_the_row_limit_is_a_setting(unchanged, settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 50
    assert "Tệp có hơn 50 dòng dữ liệu" in file_error(run(unchanged, big_workbook(51)))
    assert not any("dòng dữ liệu" in e.message for e in run(unchanged, big_workbook(50)).errors)


# --- through the upload page -------------------------------------------------------------------


def upload(client, roster, content, name="danh-sach.xlsx"):
    roster.client_for(client, "canbo_xa1")
    url = reverse("roster-import", args=[roster.units["tien_kien"].pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_an_oversized_upload_is_refused_before_reading(client, unchanged, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    content = b"PK" + b"\0" * (3 * 1024 * 1024)
    response = upload(client, unchanged, content)
    assert "Tệp quá lớn: tối đa 2 MB" in response.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (big_workbook(100_000), "Tệp có hơn 10.000 dòng dữ liệu"),
        ("Họ và tên;CCCD\n".encode("utf-16"), "không phải tệp Excel .xlsx"),
    ],
    ids=["100000-rows", "csv"],
)
def test_bad_files_uploaded_are_listed_and_cannot_be_confirmed(
    client, unchanged, content, fragment
):
    response = upload(client, unchanged, content)
    page = response.content.decode()
    assert fragment in page
    record = RosterImport.objects.get()
    assert record.error_count == 1 and bytes(record.content) == b""
    # confirming anyway writes nothing
    client.post(reverse("roster-import-preview", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RosterImport.Status.CHECKED


def test_the_template_and_guide_follow_the_limits(settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 500
    book = openpyxl.load_workbook(io.BytesIO(roster_io.template_xlsx()))
    guide = [r[0] for r in book["Hướng dẫn"].iter_rows(values_only=True) if r[0]]
    assert any(line.startswith("8. Mỗi tệp tối đa 500 dòng, 10 MB") for line in guide)
