"""The case book as a spreadsheet: the export (core.exporters) and the all-or-nothing import.

The import reuses the rosters' hardened reader (teams.roster_io.reader: size and unzipped-size
limits, the streaming XML scan against entity tricks and giant cells, merged cells and
uncomputed formulas refused) and then reads the rows with openpyxl's read-only mode. Every row
goes through `services.case_save` inside one transaction; if any row has an error, the whole
file is rolled back and every error is listed with its Excel row number.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.exporters import Exporter
from core.forms import error_messages
from rules.dates import format_date
from teams.roster_io.reader import ImportFileError, damaged, max_rows, open_archive, scan

from . import services
from .models import CaseType, MediationCase, MediationTeam, Origin, Outcome

HEADERS = [
    "STT",
    "Ngày tiếp nhận",
    "Căn cứ tiến hành",
    "Các bên",
    "Loại vụ việc",
    "Nội dung",
    "Hòa giải viên",
    "Ngày phân công",
    "Ngày bắt đầu",
    "Ngoài phạm vi",
    "Lý do ngoài phạm vi",
    "Kết quả",
    "Thỏa thuận hoặc yêu cầu",
    "Ngày kết thúc",
    "Ghi chú",
]


class BookExporter(Exporter):
    identifier = "so-theo-doi-hoa-giai"
    verbose_name = "Sổ theo dõi hòa giải"
    widths = (6, 13, 22, 30, 18, 40, 28, 13, 13, 8, 24, 18, 36, 13, 20)

    def __init__(self, team: MediationTeam, cases, *, show_parties: bool):
        self.team, self.cases, self.show_parties = team, cases, show_parties
        self.title_lines = (
            f"SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI — {team.name.upper()}",
            f"{team.commune.name}",
        )

    def rows(self) -> Iterator[list]:
        yield HEADERS
        for case in self.cases:
            names = [
                a.mediator.person.full_name + (" (thay)" if a.replaced else "")
                for a in case.assignments.all()
            ]
            yield [
                case.number,
                case.received_on,
                case.get_origin_display(),
                case.parties if self.show_parties else "(ẩn)",
                case.get_case_type_display(),
                case.content if self.show_parties else "(ẩn)",
                "; ".join(names),
                case.assigned_on,
                case.started_on,
                "x" if case.out_of_scope else "",
                case.out_of_scope_reason,
                case.get_outcome_display(),
                case.agreement if self.show_parties else "(ẩn)",
                case.closed_on,
                case.note,
            ]


@dataclass
class BookImport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _choice(value, choices, label: str, row: int, errors: list) -> str:
    text = str(value or "").strip()
    for key, shown in choices:
        if text.lower() in (key, str(shown).lower()):
            return key
    errors.append(
        (
            row,
            _("Cột «%(col)s»: «%(value)s» không có trong danh mục (%(list)s).")
            % {"col": label, "value": text[:40], "list": ", ".join(str(s) for _k, s in choices)},
        )
    )
    return ""


def _date(value, label: str, row: int, errors: list) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        errors.append(
            (
                row,
                _("Cột «%(col)s»: «%(value)s» không phải ngày (dd/mm/yyyy).")
                % {"col": label, "value": str(value)[:40]},
            )
        )
        return None


def _rows(content: bytes) -> Iterator[tuple[int, dict]]:
    archive = open_archive(content)
    facts = scan(archive)
    if any(s.merges or s.formulas for s in facts.sheets.values()):
        raise ImportFileError(
            _("Tệp có ô gộp hoặc công thức chưa tính: bỏ gộp ô, dán giá trị rồi tải lên lại.")
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise damaged() from None
    try:
        sheet = book.worksheets[0]
        header_row, columns = None, {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header_row is None:
                texts = [str(v).strip() if v is not None else "" for v in values]
                if "Ngày tiếp nhận" in texts and "Các bên" in texts:
                    header_row = number
                    columns = {t: i for i, t in enumerate(texts) if t in HEADERS}
                elif number > 10:
                    break
                continue
            if not any(v not in (None, "") for v in values):
                continue
            if number - header_row > max_rows():
                raise ImportFileError(_("Tệp có quá nhiều dòng."))
            yield number, {h: values[i] if i < len(values) else None for h, i in columns.items()}
        if header_row is None:
            raise ImportFileError(
                _(
                    "Không tìm thấy dòng tiêu đề (cần các cột «Ngày tiếp nhận», "
                    "«Các bên»…): dùng tệp xuất từ sổ theo dõi."
                )
            )
    finally:
        book.close()


def import_book(*, team: MediationTeam, content: bytes, actor) -> BookImport:
    """Raises ImportFileError for a file that cannot be read; returns the rows' errors (and
    nothing written) or the counts."""
    result = BookImport()
    mediators = {m.person.full_name.lower(): m for m in team.mediators.select_related("person")}
    existing = {c.number: c for c in MediationCase.objects.filter(team=team)}
    rows = list(_rows(content))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng vụ việc nào."))
    with transaction.atomic():
        for number, row in rows:
            errors: list[tuple[int, str]] = []
            names = [
                n.strip().removesuffix(" (thay)").lower()
                for n in str(row.get("Hòa giải viên") or "").split(";")
                if n.strip()
            ]
            unknown = [n for n in names if n not in mediators]
            if unknown:
                errors.append(
                    (
                        number,
                        _("Cột «Hòa giải viên»: «%(name)s» không phải hòa giải viên của Tổ.")
                        % {"name": unknown[0]},
                    )
                )
            data = services.CaseData(
                received_on=_date(row.get("Ngày tiếp nhận"), "Ngày tiếp nhận", number, errors),
                origin=_choice(
                    row.get("Căn cứ tiến hành"), Origin.choices, "Căn cứ tiến hành", number, errors
                ),
                parties=str(row.get("Các bên") or ""),
                case_type=_choice(
                    row.get("Loại vụ việc"), CaseType.choices, "Loại vụ việc", number, errors
                ),
                content=str(row.get("Nội dung") or ""),
                mediators=[mediators[n] for n in names if n in mediators],
                assigned_on=_date(row.get("Ngày phân công"), "Ngày phân công", number, errors),
                started_on=_date(row.get("Ngày bắt đầu"), "Ngày bắt đầu", number, errors),
                out_of_scope=str(row.get("Ngoài phạm vi") or "").strip().lower() in ("x", "có"),
                out_of_scope_reason=str(row.get("Lý do ngoài phạm vi") or ""),
                outcome=_choice(
                    row.get("Kết quả") or Outcome.OPEN.label,
                    Outcome.choices,
                    "Kết quả",
                    number,
                    errors,
                ),
                agreement=str(row.get("Thỏa thuận hoặc yêu cầu") or ""),
                closed_on=_date(row.get("Ngày kết thúc"), "Ngày kết thúc", number, errors),
                note=str(row.get("Ghi chú") or "")[:255],
            )
            if errors:
                result.errors.extend(errors)
                continue
            stt = row.get("STT")
            case = existing.get(stt) if isinstance(stt, int) else None
            try:
                with transaction.atomic():
                    services.case_save(team=team, data=data, actor=actor, case=case)
            except ValidationError as exc:
                result.errors.extend((number, m) for m in error_messages(exc))
                continue
            if case is None:
                result.created += 1
            else:
                result.updated += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = 0
    return result


def book_rows_for_pdf(cases, *, show_parties: bool) -> list[dict]:
    return [
        {
            "number": c.number,
            "received": format_date(c.received_on),
            "mediators": ", ".join(
                a.mediator.person.full_name for a in c.assignments.all() if not a.replaced
            ),
            "parties": c.parties if show_parties else "(ẩn)",
            "content": c.content if show_parties else "(ẩn)",
            "agreement": c.agreement if show_parties else "",
            "outcome": c.get_outcome_display() if not c.out_of_scope else "Ngoài phạm vi (Điều 3)",
            "closed": format_date(c.closed_on) if c.closed_on else "",
            "note": c.note,
        }
        for c in cases
    ]
