"""Excel: template, export, all-or-nothing import in the browser and on the command line."""

import datetime
import functools
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from teams import roster_io
from teams.models import MEMBERSHIP_FIELDS, PERSON_FIELDS, Membership, Person, RosterImport, Tree
from tests.builders import cccd_for, make_area, make_team, make_unit

D = datetime.date
KHAI_BIRTH = D(1980, 4, 2)
# The template's columns: the contract with the files officers keep.
HEADERS = [
    "Tổ bảo vệ ANTT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại",
    "Dân tộc", "Trình độ học vấn", "Hoàn cảnh hộ", "Hình thức cư trú", "Địa chỉ cư trú",
    "Cư trú từ ngày", "Chức danh", "Ngày bắt đầu", "Số QĐ công nhận", "Ngày QĐ công nhận",
    "Kiêm nhiệm", "Vùng áp dụng trình độ tiểu học", "Số VB chấp thuận trên 70 tuổi",
    "Ngày VB chấp thuận trên 70 tuổi", "Lý do vượt định mức",
]  # fmt: skip


def row(
    name="Vũ Văn Khải", *, team="Tổ bảo vệ ANTT Khu 2", birth=KHAI_BIRTH, sex="nam", **overrides
):
    values = {
        "Tổ bảo vệ ANTT": team,
        "Họ và tên": name,
        "Ngày sinh": birth.strftime("%d/%m/%Y"),
        "Giới tính": "Nam" if sex == "nam" else "Nữ",
        "Số CCCD": cccd_for(birth, sex),
        "Số điện thoại": "0912 000 111",
        "Dân tộc": "Kinh",
        "Trình độ học vấn": "THPT",
        "Hoàn cảnh hộ": "",
        "Hình thức cư trú": "Thường trú",
        "Địa chỉ cư trú": "Khu 2, xã Tiên Kiên",
        "Cư trú từ ngày": "01/01/2000",
        "Chức danh": "Tổ viên",
        "Ngày bắt đầu": "01/08/2024",
        "Số QĐ công nhận": "33/QĐ-UBND",
        "Ngày QĐ công nhận": "31/07/2024",
        "Kiêm nhiệm": "",
    }
    values.update(overrides)
    return values


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(roster, content, *, dry_run=False, actor="canbo_xa1"):
    return roster_io.import_roster(
        commune=roster.units["tien_kien"],
        content=content,
        actor=roster.users[actor] if actor else None,
        dry_run=dry_run,
    )


def counts():
    return Person.objects.count(), Membership.objects.count()


# --- Template and export ----------------------------------------------------------------------


def test_template_has_vietnamese_headers_lists_and_a_guide(client, roster):
    roster.client_for(client, "canbo_xa1")
    response = client.get(reverse("roster-template", args=[roster.units["tien_kien"].pk]))
    assert response["Content-Type"] == roster_io.XLSX_CONTENT_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn"]
    headers = [c.value for c in book["Danh sách"][1]]
    # Every column of the officers' files is still there, in its order. A field added to the
    # roster since adds its column; it must be optional, so that files made from an earlier
    # template still import (a new field is one entry in teams/models.py, nothing here).
    assert [h for h in headers if h in HEADERS] == HEADERS
    required = {e.header for e in (*PERSON_FIELDS, *MEMBERSHIP_FIELDS) if e.required}
    assert not [h for h in headers if h not in HEADERS and h in required]
    assert "Tổ trưởng" in [c.value for c in book["Danh mục"]["F"]]
    assert book["Danh sách"].data_validations.dataValidation  # drop-down lists


def test_export_follows_the_filters(client, roster):
    roster.client_for(client, "canbo_xa1")
    response = client.get(
        reverse("roster-export", args=[roster.units["tien_kien"].pk]), {"role": "to_truong"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Danh sách"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Xã, phường", "Tổ bảo vệ ANTT", "Họ và tên")
    assert sorted(r[2] for r in rows[1:]) == ["Nguyễn Văn An", "Phạm Đức Dũng"]
    an = dict(zip(rows[0], next(r for r in rows if r[2] == "Nguyễn Văn An"), strict=True))
    # A real date shown dd/mm/yyyy (issue 16 §5: it used to be the text "12/03/1985").
    assert an["Ngày sinh"] == datetime.datetime(1985, 3, 12)
    assert an["Giới tính"] == "Nam" and an["Chức danh"] == "Tổ trưởng"
    birth = next(c for c in sheet["D"] if c.value == datetime.datetime(1985, 3, 12))
    assert birth.number_format == "DD/MM/YYYY"
    assert an["Số CCCD"] == roster.members["an"].person.cccd  # text, leading zero kept


def test_an_exported_roster_imports_again_without_changes(roster):
    content = roster_io.export_xlsx(
        Membership.objects.filter(team__commune=roster.units["tien_kien"]), title="x"
    )
    report = run(roster, content, dry_run=True)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


# --- Import: good files -----------------------------------------------------------------------


def test_import_creates_people_and_memberships_with_history(roster):
    before = counts()
    report = run(
        roster,
        workbook([row(), row("Lý Thị Hoa", birth=D(1990, 9, 9), sex="nu")]),
    )
    assert report.errors == []
    assert (report.created, report.updated) == (2, 0)
    assert counts() == (before[0] + 2, before[1] + 2)
    hoa = Person.objects.get(full_name="Lý Thị Hoa")
    assert hoa.search_name == "ly thi hoa" and hoa.household_status == "khac"
    record = hoa.history.get()
    assert record.history_user == roster.users["canbo_xa1"]
    assert record.history_change_reason == "Nhập từ Excel"
    assert hoa.memberships.get().team == roster.teams["tk2"]


def test_a_dry_run_writes_nothing(roster):
    before = counts()
    report = run(roster, workbook([row()]), dry_run=True)
    assert (report.errors, report.created) == ([], 1)
    assert counts() == before


def test_the_team_can_be_named_by_its_area_and_cells_can_be_real_dates(roster):
    r = row(
        team="khu 2",
        **{"Ngày sinh": datetime.datetime(1980, 4, 2), "Kiêm nhiệm": "Đội phó đội dân phòng"},
    )
    r["Số CCCD"] = int(r["Số CCCD"])  # a number cell: Excel dropped the leading zero
    report = run(roster, workbook([r]))
    assert report.errors == []
    m = Membership.objects.get(person__full_name="Vũ Văn Khải")
    assert m.concurrent_posts == ["doi_pho_dan_phong"]
    assert m.person.cccd.startswith("025")


def test_rows_of_people_already_in_the_team_update_them(roster):
    an = roster.members["an"].person
    r = row(
        "Nguyễn Văn An",
        team="Tổ bảo vệ ANTT Khu 1",
        birth=D(1985, 3, 12),
        **{"Số CCCD": an.cccd, "Chức danh": "Tổ trưởng", "Ngày bắt đầu": "15/07/2024", "Số điện thoại": "0933333333"},
    )  # fmt: skip
    report = run(roster, workbook([r]))
    assert (report.errors, report.created, report.updated) == ([], 0, 1)
    an.refresh_from_db()
    assert an.phone == "0933333333" and an.version == 2
    assert an.history.first().history_change_reason == "Nhập từ Excel"


def test_stt_column_and_blank_lines_are_ignored(roster):
    content = workbook(
        [{"STT": 1} | row(), {}, {"STT": 2} | row("Lê Văn Tám", birth=D(1991, 1, 1))],
        ["STT", *HEADERS],
    )
    report = run(roster, content)
    assert report.errors == [] and report.created == 2


# --- Import: every error, nothing written -----------------------------------------------------


def test_one_bad_row_imports_nothing_and_every_error_is_listed(roster):
    before = counts()
    rows = [
        row(),
        row("Đặng Văn Sai", **{"Số CCCD": "025285001234", "Ngày sinh": "12/03/1985"}),
        row("Bùi Thị Ngày", sex="nu", **{"Ngày sinh": "31/02/1990"}),
        row("Hà Văn Trẻ", birth=D(2008, 1, 1), **{"Cư trú từ ngày": "01/01/2008"}),
        row("Tạ Văn Xa", team="Tổ không có"),
    ]
    report = run(roster, workbook(rows))
    assert counts() == before
    assert report.created == 0
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "Chữ số thứ 4" in found[(3, "Số CCCD")]
    assert "không phải ngày hợp lệ" in found[(4, "Ngày sinh")]
    assert "mới 16 tuổi" in found[(5, "Ngày sinh")]
    assert "Không tìm thấy Tổ «Tổ không có»" in found[(6, "Tổ bảo vệ ANTT")]
    assert (2, "Số CCCD") not in found  # the good row has no error


def test_duplicate_cccd_in_the_file_flags_every_occurrence(roster):
    first = row()
    second = row("Vũ Văn Khải Hai", **{"Số CCCD": first["Số CCCD"]})
    report = run(roster, workbook([first, row("Lê Văn Tám", birth=D(1991, 1, 1)), second]))
    messages = {e.row: e.message for e in report.errors if e.column == "Số CCCD"}
    assert "trùng với dòng 4" in messages[2] and "trùng với dòng 2" in messages[4]


def test_two_leaders_for_one_team_in_the_file(roster):
    team = {"team": "Tổ bảo vệ ANTT Khu 2"}
    leader = {"Chức danh": "Tổ trưởng"}
    # Khu 2 already has Dũng as Tổ trưởng.
    report = run(roster, workbook([row(**team, **leader)]))
    assert "đã có Tổ trưởng (Phạm Đức Dũng)" in report.errors[0].message
    report = run(
        roster,
        workbook(
            [row(team="Tổ bảo vệ ANTT Khu 1", **{"Chức danh": "Tổ phó"}) | {"Lý do vượt định mức": "x"},
             row("Lê Văn Tám", birth=D(1991, 1, 1), team="Tổ bảo vệ ANTT Khu 1", **leader) | {"Lý do vượt định mức": "x"}]
        ),
    )  # fmt: skip
    assert [(e.row, e.column) for e in report.errors] == [(3, "Chức danh")]


def test_rows_beyond_the_quota_need_a_reason(roster):
    # Khu 2: quota 4, one member; the file brings four more.
    rows = [row(f"Người Số {n}", birth=D(1980 + i, 1, 1)) for i, n in enumerate("ABCD")]
    report = run(roster, workbook(rows))
    assert [(e.row, e.column) for e in report.errors] == [(5, "Lý do vượt định mức")]
    assert "định mức 4 thành viên" in report.errors[0].message
    rows[3]["Lý do vượt định mức"] = "Văn bản 45/UBND-NC của UBND tỉnh"
    assert run(roster, workbook(rows)).errors == []


def test_someone_serving_elsewhere_is_refused(roster):
    em = roster.members["em"].person  # Xuân Lũng
    report = run(
        roster, workbook([row("Hoàng Văn Em", **{"Số CCCD": em.cccd, "Ngày sinh": "12/03/1985"})])
    )
    assert report.errors[0].message.startswith(
        "Người có số CCCD này đang tham gia một Tổ ở đơn vị khác"
    )


def test_ended_rows_are_not_imported(roster):
    headers = [*HEADERS, "Ngày thôi tham gia"]
    report = run(roster, workbook([row() | {"Ngày thôi tham gia": "01/01/2025"}], headers))
    assert "chỉ ghi nhận thành viên đang tham gia" in report.errors[0].message


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Họ tên", *HEADERS[2:]], ["Cột «Họ tên» không có trong tệp mẫu", "Thiếu cột «Tổ bảo vệ ANTT»", "Thiếu cột «Họ và tên»"]),
        ([*HEADERS, "Họ và tên"], ["Cột «Họ và tên» xuất hiện hai lần."]),
    ],
)  # fmt: skip
def test_wrong_columns_are_named(roster, headers, expected):
    report = run(roster, workbook([row()], headers))
    messages = [e.message for e in report.errors]
    for fragment in expected:
        assert any(fragment in m for m in messages), (fragment, messages)
    assert all(e.row == 1 for e in report.errors)


def test_headers_match_without_diacritics_or_case(roster):
    headers = [h.upper() for h in HEADERS]
    rows = [{h.upper(): v for h, v in row().items()}]
    assert run(roster, workbook(rows, headers)).errors == []


def csv_bytes():
    return "Họ và tên,Số CCCD\nA,1\n".encode()


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "Tệp trống (0 byte)"),
        (csv_bytes(), "không phải tệp Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Excel 97-2003 (.xls)"),
        (docx_bytes(), "không phải bảng tính Excel .xlsx"),
        (workbook([], headers=[]), "Tệp trống: dòng 1 phải là tiêu đề cột"),
        (workbook([]), "không có dòng thành viên nào"),
    ],
)
def test_files_that_are_not_rosters_are_refused_with_row_0(roster, content, fragment):
    report = run(roster, content)
    assert len(report.errors) == 1
    assert report.errors[0].row == 0 and fragment in report.errors[0].message


def test_a_file_over_the_size_limit_is_refused_before_opening(roster, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 1000
    report = run(roster, workbook([row()] * 5))
    assert "Tệp quá lớn" in report.errors[0].message


@functools.cache
def big_workbook(rows: int) -> bytes:
    """A real .xlsx of `rows` data rows, written as raw sheet XML (openpyxl would take
    seconds to write it). Made once per process for each size (bytes, which nobody can
    change): the 100,000-row file took 0.4 s of CPU, and three tests read it."""
    template = io.BytesIO(workbook([], headers=["Họ và tên", "Số CCCD"]))
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Nguyễn Văn A</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>025085{r:06d}</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, _, _tail = text.partition("<sheetData>")
                header = text[text.index("<sheetData>") + 11 : text.index("</sheetData>")]
                data = (head + "<sheetData>" + header + cells + "</sheetData></worksheet>").encode()
            dst.writestr(item, data)
    return out.getvalue()


def test_a_100000_row_file_is_refused_without_reading_it_all(roster):
    import time

    content = big_workbook(100_000)
    started = time.process_time()  # this process's CPU time: a busy machine does not count
    report = run(roster, content)
    assert report.errors[0].row == 0
    assert "Tệp có hơn 10.000 dòng dữ liệu" in report.errors[0].message
    assert time.process_time() - started < 5  # stopped at row 10.001, not at 100.001


def test_the_row_limit_counts_data_rows(roster):
    report = run(roster, big_workbook(roster_io.max_rows()))
    assert not any("dòng dữ liệu" in e.message for e in report.errors)


# --- Browser: upload → errors → fix → confirm -------------------------------------------------


def upload(client, roster, content, name="danh-sach.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("roster-import", args=[roster.units["tien_kien"].pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_upload_lists_errors_then_a_fixed_file_is_confirmed(client, roster):
    roster.client_for(client, "canbo_xa1")
    bad = row(**{"Số CCCD": "12345"})
    page = upload(client, roster, workbook([bad])).content.decode()
    assert "Có 1 lỗi: chưa nhập dòng nào." in page
    assert "Số CCCD phải gồm đúng 12 chữ số (đang có 5)" in page
    assert "Xác nhận nhập" not in page

    before = counts()
    response = upload(client, roster, workbook([row(), row("Lê Văn Tám", birth=D(1991, 1, 1))]))
    page = response.content.decode()
    assert "Tệp hợp lệ: 2 dòng — 2 thành viên mới" in page
    assert counts() == before  # checked, not written
    record = RosterImport.objects.latest("uploaded_at")
    response = client.post(reverse("roster-import-preview", args=[record.pk]), follow=True)
    assert "Đã nhập 2 dòng: 2 thành viên mới, 0 cập nhật." in response.content.decode()
    assert counts() == (before[0] + 2, before[1] + 2)
    record.refresh_from_db()
    assert record.status == "imported" and bytes(record.content) == b""
    # Confirming twice does nothing more.
    client.post(reverse("roster-import-preview", args=[record.pk]))
    assert counts() == (before[0] + 2, before[1] + 2)


def test_confirm_checks_again_and_writes_nothing_if_the_roster_changed(client, roster):
    roster.client_for(client, "canbo_xa1")
    r = row()
    upload(client, roster, workbook([r]))
    record = RosterImport.objects.latest("uploaded_at")
    from tests.builders import add_member, person_data

    # Meanwhile the same person is added by hand to another team.
    add_member(
        roster.teams["tk1"],
        person=person_data(full_name="Vũ Văn Khải", cccd=r["Số CCCD"], birth_date=D(1980, 4, 2)),
        over_quota_reason="Văn bản của UBND tỉnh",
    )
    before = counts()
    page = client.post(reverse("roster-import-preview", args=[record.pk]), follow=True)
    assert "chưa nhập dòng nào" in page.content.decode()
    assert counts() == before


# --- Command line -----------------------------------------------------------------------------


def command(capsys, *args):
    with pytest.raises(SystemExit) as exit_:
        call_command("import_roster", *args)
    out = capsys.readouterr().out
    return exit_.value.code, json.loads(out)


def test_command_imports_and_prints_one_json_object(roster, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(workbook([row()]))
    call_command("import_roster", str(path), "--commune", "08497", "--user", "canbo_xa1")
    assert json.loads(capsys.readouterr().out) == {"created": 1, "updated": 0, "errors": []}
    assert (
        Person.objects.get(full_name="Vũ Văn Khải").history.get().history_user.username
        == "canbo_xa1"
    )


def test_command_dry_run_with_errors_exits_1_and_writes_nothing(roster, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(workbook([row(), row("Ai Đó", **{"Giới tính": "Khác"})]))
    before = counts()
    code, out = command(capsys, str(path), "--commune", "08497")
    assert code == 1 and counts() == before
    assert out["created"] == 0 and out["updated"] == 0
    assert out["errors"] == [
        {
            "row": 3,
            "column": "Giới tính",
            "message": "«Khác» không hợp lệ: chọn một trong: Nam, Nữ.",
        }
    ]


def test_command_reports_file_problems_as_json(roster, tmp_path, capsys):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes())
    code, out = command(capsys, str(path), "--commune", "08497", "--dry-run")
    assert code == 1 and out["errors"][0]["row"] == 0
    code, out = command(capsys, str(path), "--commune", "99999")
    assert "Không có đơn vị cấp xã mã «99999»" in out["errors"][0]["message"]


def test_command_prefers_the_unit_valid_today_and_accepts_tree(roster, tmp_path, capsys):
    # The same code in both trees: the 2025 commune is the one valid today.
    new = make_unit(
        "08497",
        "Xã Mới Trùng Mã",
        "xa",
        parent=roster.units["pt_new"],
        tree=Tree.CURRENT,
        jurisdiction="25",
    )
    make_area(new, "Khu 2", 525)
    path = tmp_path / "ds.xlsx"
    path.write_bytes(workbook([row()]))
    code, out = command(capsys, str(path), "--commune", "08497", "--dry-run")
    assert code == 1
    assert "Không tìm thấy Tổ" in out["errors"][0]["message"]  # looked in the 2025 commune
    call_command("import_roster", str(path), "--commune", "08497", "--tree", "legacy", "--dry-run")
    assert json.loads(capsys.readouterr().out)["created"] == 1


def test_a_row_with_several_problems_lists_them_all(roster):
    # Khu 1 is full (3 of 3) and the CCCD is wrong: both are reported for the row.
    bad = row(team="Tổ bảo vệ ANTT Khu 1", **{"Số CCCD": "025280000001"})
    report = run(roster, workbook([bad]))
    assert {e.column for e in report.errors} == {"Số CCCD", "Lý do vượt định mức"}


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)"])
def test_exported_text_never_becomes_a_formula(roster, text):
    an = roster.members["an"].person
    Person.objects.filter(pk=an.pk).update(residence_address=text)
    content = roster_io.export_xlsx(Membership.objects.filter(person=an), title="x")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Danh sách"]
    cell = sheet.cell(row=2, column=12)
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_overlong_cells_are_refused_before_the_database_sees_them(roster):
    report = run(
        roster, workbook([row(**{"Địa chỉ cư trú": "x" * 300, "Số QĐ công nhận": "9" * 70})])
    )
    found = {e.column: e.message for e in report.errors}
    assert found["Địa chỉ cư trú"] == "Quá dài: tối đa 255 ký tự (đang có 300)."
    assert "tối đa 60 ký tự" in found["Số QĐ công nhận"]


def test_team_not_found_names_eight_teams_and_says_how_many_more(roster):
    commune = roster.units["tien_kien"]
    for i in range(9):  # 11 teams in all
        make_team(commune, f"Tổ bảo vệ ANTT Thôn {i}", make_area(commune, f"Thôn {i}", 300))
    report = run(roster, workbook([row(team="Tổ không có")]))
    (message,) = [e.message for e in report.errors if e.column == "Tổ bảo vệ ANTT"]
    assert message.count("Tổ bảo vệ ANTT") == 8
    assert "và 3 Tổ khác" in message


def test_template_date_columns_show_dates_and_text_columns_stay_text():
    book = openpyxl.load_workbook(io.BytesIO(roster_io.template_xlsx()))
    sheet = book["Danh sách"]
    formats = {
        cell.value: sheet.column_dimensions[cell.column_letter].number_format for cell in sheet[1]
    }
    assert formats["Ngày sinh"] == formats["Ngày QĐ công nhận"] == "DD/MM/YYYY"
    assert formats["Số CCCD"] == formats["Số điện thoại"] == "@"
