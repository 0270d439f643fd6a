"""Importing a 10,000-row roster workbook with every check of the browser form (CCCD, Art. 13,
one membership per person, one Tổ trưởng per team, quotas) and the history rows.

A synthetic commune of old Phú Thọ (jurisdiction 25) with 2,000 residential areas of 700
households (quota 5 under NQ 02/2024) and one team each; the workbook fills every team. The
Person table already holds POPULATION people (as a province's database would), and the same
workbook with a bad last row (an invalid CCCD) is imported first: all or nothing, so it must
write nothing (issue 17 §1).
"""

import datetime
import io
import random

from bench import harness

harness.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402

from rules.cccd import make_number  # noqa: E402
from teams import roster_io  # noqa: E402
from teams.models import (  # noqa: E402
    AdministrativeUnit,
    AreaKind,
    Level,
    Membership,
    Person,
    ResidentialArea,
    Team,
    Tree,
    UnitKind,
    User,
)
from teams.roster_io import columns  # noqa: E402

ROWS = 10_000
PER_TEAM = 5
POPULATION = int(__import__("os").environ.get("IMPORT_POPULATION", "100000"))
call_command("load_parameters", stdout=io.StringIO())
province = AdministrativeUnit.objects.create(
    tree=Tree.LEGACY, level=Level.PROVINCE, kind=UnitKind.TINH, code="25", name="Tỉnh Phú Thọ",
    path="legacy/25/", valid_to=datetime.date(2025, 6, 30), jurisdiction="25",
)  # fmt: skip
commune = AdministrativeUnit.objects.create(
    tree=Tree.LEGACY, level=Level.COMMUNE, kind=UnitKind.XA, code="99999", name="Xã Thử Nghiệm",
    parent=province, path="legacy/25/99999/", valid_to=datetime.date(2025, 6, 30),
    jurisdiction="25",
)  # fmt: skip
officer = User.objects.create_user(
    "canbo_bench", password="x", last_name="Cán bộ", first_name="Thử"
)
areas = ResidentialArea.objects.bulk_create(
    ResidentialArea(commune=commune, name=f"Khu {i}", kind=AreaKind.KHU, households=700)
    for i in range(ROWS // PER_TEAM)
)
teams = Team.objects.bulk_create(
    Team(
        commune=commune,
        name=f"Tổ bảo vệ ANTT Khu {i}",
        decision_number=f"{i}/QĐ-UBND",
        decision_date=datetime.date(2024, 7, 1),
    )
    for i in range(len(areas))
)
Team.areas.through.objects.bulk_create(
    Team.areas.through(team_id=t.pk, residentialarea_id=a.pk)
    for t, a in zip(teams, areas, strict=True)
)

birth = datetime.date(1975, 1, 1)
Person.objects.bulk_create(
    (
        Person(full_name=f"Người đã có {i}", search_name=f"nguoi da co {i}", birth_date=birth,
               sex="nam", cccd=make_number(province_code="01", sex="nam", birth_year=1975,
                                           serial=i),
               education="thpt", residence_type="thuong_tru", residence_address="Khu 1",
               residence_since=datetime.date(2000, 1, 1))
        for i in range(POPULATION)
    ),
    batch_size=5000,
)  # fmt: skip
already = Person.objects.count()
print(f"   the Person table holds {already:,} people before the import")

rng = random.Random(2024)
with harness.timed("writing the workbook (openpyxl, write-only)", rows=ROWS):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append([column.header for column in columns.TEMPLATE])
    bad_book = openpyxl.Workbook(write_only=True)
    bad_sheet = bad_book.create_sheet("Danh sách")
    bad_sheet.append([column.header for column in columns.TEMPLATE])
    for i in range(ROWS):
        birth = datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        sex = "Nam" if rng.random() < 0.8 else "Nữ"
        role = ["Tổ trưởng", "Tổ phó", "Tổ viên", "Tổ viên", "Tổ viên"][i % PER_TEAM]
        values = {
            "team": f"Tổ bảo vệ ANTT Khu {i // PER_TEAM}",
            "full_name": f"Nguyễn {'Văn' if sex == 'Nam' else 'Thị'} Thử {chr(65 + i % 26)}",
            "birth_date": birth.strftime("%d/%m/%Y"),
            "sex": sex,
            "cccd": make_number(
                province_code="25", sex="nam" if sex == "Nam" else "nu",
                birth_year=birth.year, serial=i,
            ),
            "phone": f"09{i:08d}",
            "ethnicity": "Kinh",
            "education": "Trung học phổ thông",
            "household_status": "Khác",
            "residence_type": "Thường trú",
            "residence_address": f"Khu {i // PER_TEAM}, xã Thử Nghiệm",
            "residence_since": birth.strftime("%d/%m/%Y"),
            "role": role,
            "start_date": "15/07/2024",
            "appointment_number": "100/QĐ-UBND",
            "appointment_date": "14/07/2024",
            "concurrent_posts": (
                "Đội trưởng đội dân phòng" if role == "Tổ trưởng" and i % 3 == 0 else ""
            ),
        }  # fmt: skip
        sheet.append([values.get(column.name, "") for column in columns.TEMPLATE])
        if i == ROWS - 1:
            values["cccd"] = "0250800"  # the bad last row: a CCCD of 7 digits
        bad_sheet.append([values.get(column.name, "") for column in columns.TEMPLATE])
    out = io.BytesIO()
    book.save(out)
    bad_out = io.BytesIO()
    bad_book.save(bad_out)
content = out.getvalue()
print(f"   workbook: {len(content) / 1024 / 1024:.1f} MB")

with harness.timed("import with a bad last row: refused, nothing written", rows=ROWS):
    report = roster_io.import_roster(
        commune=commune, content=bad_out.getvalue(), actor=officer, dry_run=False
    )
assert report.errors and report.created == 0, (report.errors[:3], report.created)
assert Person.objects.count() == already and not Membership.objects.exists()
print(f"   refused: {len(report.errors)} error(s), first: {report.errors[0]}")

with harness.timed("checking (dry run, every rule)", rows=ROWS):
    report = roster_io.import_roster(commune=commune, content=content, actor=officer, dry_run=True)
assert not report.errors, report.errors[:3]
with harness.timed("import: check + write people, memberships, history", rows=ROWS, target="<= 20"):
    report = roster_io.import_roster(commune=commune, content=content, actor=officer, dry_run=False)
assert not report.errors and report.created == ROWS, (report.errors[:3], report.created)
print(
    f"   written: {Person.objects.count():,} people, {Membership.objects.count():,} memberships, "
    f"{Person.history.count() + Membership.history.count():,} history rows"
)
with harness.timed("the same file again (all rows unchanged)", rows=ROWS):
    report = roster_io.import_roster(commune=commune, content=content, actor=officer, dry_run=False)
assert not report.errors and report.unchanged == ROWS
with harness.timed("export of the commune's roster", rows=ROWS):
    roster_io.export_xlsx(Membership.objects.filter(team__commune=commune), title="bench")
