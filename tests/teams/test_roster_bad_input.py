"""Malformed roster files: each gets a clear Vietnamese message, and nothing changes.

(test_roster_excel.py covers the ordinary problems: wrong columns, .xls, Word, empty files, a
bad row among good ones. These are the files officers actually produce by accident.)
"""

from __future__ import annotations

import datetime
import io
import json
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
        ("01/01/0001", "Ngày 01/01/0001 không hợp lý: nhập ngày từ 01/01/1900 đến 31/12/2100."),
        ("31/12/9999", "Ngày 31/12/9999 không hợp lý"),
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
    # CPU time of this process, not wall time: other work on the machine must not fail it.
    started = time.process_time()
    message = file_error(run(unchanged, content))
    assert time.process_time() - started < 5
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
    ("make", "fragment"),
    [
        # Made by the test, not at collection (in every worker, whichever runs it).
        (lambda: big_workbook(100_000), "Tệp có hơn 10.000 dòng dữ liệu"),
        (lambda: "Họ và tên;CCCD\n".encode("utf-16"), "không phải tệp Excel .xlsx"),
    ],
    ids=["100000-rows", "csv"],
)
def test_bad_files_uploaded_are_listed_and_cannot_be_confirmed(client, unchanged, make, fragment):
    response = upload(client, unchanged, make())
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


# --- hostile or damaged files (issue 16 §4) ---------------------------------------------------


def _rewrite(content: bytes, edits: dict, added: dict | None = None) -> bytes:
    """The workbook with XML parts replaced by `edits[part](xml)` and parts `added`: bytes, or
    an iterable of bytes chunks, written as they come so that a 140 MB part costs no 140 MB
    here."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        parts = [(item.filename, src.read(item.filename)) for item in src.infolist()]
        for name, data in [*parts, *(added or {}).items()]:
            new = edits[name](data) if name in edits else data
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # zlib's fastest level: 140 MB of one letter deflate in 0.25 s of CPU instead of
            # 0.75 s, to 640 KB instead of 145 KB (still a small upload, checked below).
            info._compresslevel = 1  # ZipInfo.compress_level from Python 3.13
            with dst.open(info, "w", force_zip64=True) as stream:
                for chunk in [new] if isinstance(new, bytes) else new:
                    stream.write(chunk)
    return out.getvalue()


HUGE = 140 * 1024 * 1024  # characters


def _huge_chunks(before: bytes, after: bytes):
    yield before
    block = b"x" * (1 << 20)
    for _ in range(HUGE // len(block)):
        yield block
    yield after


def _address_cell(xml: bytes, new_cell: bytes) -> tuple[bytes, bytes]:
    """The sheet's XML before and after the address cell K2, with `new_cell` opened there."""
    start = xml.index(b'<c r="K2"')
    end = xml.index(b"</c>", start) + 4
    return xml[:start] + new_cell, xml[end:]


def huge_shared_string() -> bytes:
    """Excel's way: the 140 MB text in the shared strings table, the cell pointing at it."""
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'

    def edit_sheet(xml):
        before, after = _address_cell(xml, b'<c r="K2" t="s"><v>0</v>')
        return before + b"</c>" + after

    edits = {
        "xl/worksheets/sheet1.xml": edit_sheet,
        "xl/sharedStrings.xml": lambda _xml: _huge_chunks(sst, b"</t></si></sst>"),
        "[Content_Types].xml": lambda xml: xml.replace(
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content_type}"/>'
            "</Types>".encode(),
        ),
    }
    return _rewrite(workbook([row()]), edits, {"xl/sharedStrings.xml": b""})


def huge_inline_string() -> bytes:
    """Other programs' way (and openpyxl's): the text inside the cell itself."""

    def edit_sheet(xml):
        head, tail = _address_cell(xml, b'<c r="K2" t="inlineStr"><is><t>')
        return _huge_chunks(head, b"</t></is></c>" + tail)

    return _rewrite(workbook([row()]), {"xl/worksheets/sheet1.xml": edit_sheet})


@pytest.mark.parametrize("make", [huge_shared_string, huge_inline_string], ids=["shared", "inline"])
def test_a_140_mb_cell_is_refused_as_it_is_read(client, unchanged, make):
    """A small upload holding one 140 MB cell: refused at the cell's limit, costing a few MB
    and storing a short message (it used to cost 1 GB and store 147 MB in the report)."""
    import tracemalloc

    content = make()
    assert len(content) < 1024 * 1024  # the upload is small
    tracemalloc.start()
    started = time.process_time()  # CPU time: a busy machine does not count
    report = run(unchanged, content)
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    message = file_error(report)
    assert "Ô K2 của trang «Sheet» dài hơn 2.000 ký tự" in message
    assert peak < 20 * 1024 * 1024 and seconds < 5, (peak, seconds)

    response = upload(client, unchanged, content)
    assert "dài hơn 2.000 ký tự" in response.content.decode()
    record = RosterImport.objects.get()
    assert len(json.dumps(record.report)) < 2_000 and bytes(record.content) == b""


def test_a_bad_value_is_quoted_by_a_short_prefix_only(client, unchanged):
    long_text = "Không rõ " * 200  # 1.800 characters: under the cell limit, still no sex
    content = workbook([row(**{"Giới tính": long_text}), row("Lê Văn Hai", team=long_text)])
    response = upload(client, unchanged, content)
    record = RosterImport.objects.get()
    messages = [e["message"] for e in record.report["errors"]]
    assert any(m.startswith("«Không rõ Không rõ") and "không hợp lệ" in m for m in messages)
    assert all(len(m) < 400 for m in messages), messages
    assert len(json.dumps(record.report, ensure_ascii=False)) < 3_000
    assert "Không rõ " * 10 not in response.content.decode()


def test_a_long_unknown_header_is_quoted_short(unchanged):
    header = "Cột lạ " * 250
    report = run(unchanged, workbook([row()], [*HEADERS, header]))
    (error,) = report.errors
    assert error.row == 1 and len(error.column) <= 40 and len(error.message) < 200


def test_what_is_kept_of_a_report_is_bounded(client, unchanged, monkeypatch):
    """Every error counted, only the first ERRORS_KEPT kept with the upload and shown."""
    monkeypatch.setattr("teams.roster_io.report.ERRORS_KEPT", 10)
    bad = [row(f"Người Số {i}", **{"Giới tính": "?"}) for i in range(15)]
    page = upload(client, unchanged, workbook(bad + bad)).content.decode()
    record = RosterImport.objects.get()
    assert record.error_count > 30 and len(record.report["errors"]) == 10
    assert f"Có {record.error_count} lỗi" in page
    assert f"… và {record.error_count - 10} lỗi khác." in page


def _sheet_xml(content: bytes, edit) -> bytes:
    return _rewrite(content, {"xl/worksheets/sheet1.xml": edit})


DAMAGED_SHEETS = {
    "undefined-entity": lambda xml: xml.replace(b"<sheetData>", b"<sheetData>&nbsp;", 1),
    "truncated": lambda xml: xml[: len(xml) // 2],
    "billion-laughs": lambda xml: xml.replace(
        b"?>",
        b'?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;'
        b'&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;'
        b'&c;&c;&c;&c;">]>',
        1,
    ).replace(b"<sheetData>", b"<sheetData>&d;", 1),
    "external-entity": lambda xml: xml.replace(
        b"?>", b'?><!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1
    ).replace(b"<sheetData>", b"<sheetData>&e;", 1),
    "not-a-number": lambda xml: xml.replace(b"</sheetData>", b'<row r="9"><c r="A9"><v>abc</v></c></row></sheetData>'),
}  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGED_SHEETS.values(), ids=DAMAGED_SHEETS.keys())
def test_a_damaged_worksheet_gets_the_message_not_a_500(client, unchanged, damage):
    """As in production: DEBUG off, and the test client answering 500 instead of raising."""
    from django.conf import settings

    assert not settings.DEBUG
    content = _sheet_xml(workbook([row()]), damage)
    assert "tệp bị hỏng" in file_error(run(unchanged, content))
    client.raise_request_exception = False
    response = upload(client, unchanged, content)
    assert response.status_code == 200
    assert "Không đọc được tệp Excel: tệp bị hỏng hoặc có mật khẩu." in response.content.decode()
    assert RosterImport.objects.get().error_count == 1


def test_a_damaged_zip_member_gets_the_message(unchanged):
    content = bytearray(workbook([row()]))
    start = content.index(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed data
    content[start : start + 16] = b"\0" * 16
    assert "tệp bị hỏng" in file_error(run(unchanged, bytes(content)))
