"""Reading an uploaded roster workbook without trusting it.

openpyxl reads the cells (dates, shared strings, styles); before it opens anything, every XML
part of the file is read once as a stream by `scan` (the standard library's expat parser,
64 KB at a time), which refuses what openpyxl would choke on or pay dearly for:

- a DTD (billion laughs, external entities: an .xlsx never has one), an undefined entity, a
  truncated or otherwise malformed part, a damaged zip member: "the file is damaged";
- a cell (or a shared string) longer than `CELL_MAX_CHARS`: no roster field is that long, and
  openpyxl would hold the whole text in memory, several times over (a 152 KB upload can hold a
  140 MB cell). Counting stops at the limit, so such a cell costs no more than a normal one;
- and it notes what openpyxl's streaming reader hides: merged cells (only the first cell keeps
  the value) and formulas without a computed value (they read as empty).

defusedxml would cover the first point only, and only for the parsers it wraps; the length and
the facts about merges and formulas need the scan anyway, so the scan does all of it.

Other limits, checked before anything is parsed: the upload's size (``ROSTER_IMPORT_MAX_BYTES``),
the unzipped size (against "zip bombs"), and the rows (``ROSTER_IMPORT_MAX_ROWS``): rows are
counted while streaming, and reading stops at the first row over the limit.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

from core.formatting import format_number

from ..validation import excerpt
from .columns import BY_KEY, IGNORED_HEADERS, TEMPLATE, blank, key
from .report import RowError

MAX_ROWS = 10_000  # defaults of settings.ROSTER_IMPORT_MAX_ROWS / ROSTER_IMPORT_MAX_BYTES
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 150 * 1024 * 1024
# Longest text in one cell. The longest roster field holds 255 characters; a reason for going
# over the quota may run to a paragraph.
CELL_MAX_CHARS = 2_000
SHEET_NAME = "Danh sách"
CHUNK = 64 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read as a roster; the message says why, in Vietnamese."""


def max_rows() -> int:
    """Data rows accepted in one file (settings.ROSTER_IMPORT_MAX_ROWS)."""
    return int(getattr(settings, "ROSTER_IMPORT_MAX_ROWS", MAX_ROWS))


def max_file_bytes() -> int:
    """Size of an accepted upload (settings.ROSTER_IMPORT_MAX_BYTES)."""
    return int(getattr(settings, "ROSTER_IMPORT_MAX_BYTES", MAX_FILE_BYTES))


def max_file_mb() -> str:
    return format_number(max(1, round(max_file_bytes() / 1024 / 1024)))


def damaged() -> ImportFileError:
    return ImportFileError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc có mật khẩu."))


@dataclass
class Table:
    headers: list[str]  # column names (teams.roster_io.columns), in the file's order
    rows: list[tuple]
    row_numbers: list[int]  # Excel row number of each row


# --- The scan -------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside the parser's handlers to stop reading a part."""


class _TooLong(Exception):
    def __init__(self, part: str, ref: str = "", shared: int | None = None):
        self.part, self.ref, self.shared = part, ref, shared


class _RowsEnough(Exception):
    """A worksheet has more rows holding values than an import reads: the rest is not read."""


@dataclass
class _SheetFacts:
    merges: list[str] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)  # cells with a formula and no value
    rows: int = 0  # rows holding a value
    # The number of the last row read when the sheet has more rows than an import reads
    # (the rows after it were not checked: reading the sheet must stop there).
    stopped_at: int | None = None


@dataclass
class Scan:
    """What the scan learnt: per worksheet part, its merges and uncomputed formulas; the sheet
    names (part → title) for messages."""

    sheets: dict[str, _SheetFacts] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


class _PartReader:
    """expat handlers for one XML part. Element names are compared without their namespace
    prefix; what each element means depends on the part (`si` = a shared string, `c` = a
    cell of a worksheet, `sheet` = the workbook's list of sheets, `Relationship` = a link).
    Called for every element of the file, so kept lean."""

    def __init__(self, part: str, long_strings: set[int], row_limit: int):
        self.part = part
        self.long_strings = long_strings
        self.row_limit = row_limit
        self.facts = _SheetFacts()
        self.sheets: dict[str, str] = {}  # relationship id → sheet title (workbook.xml)
        self.targets: dict[str, str] = {}  # relationship id → part (rels)
        self.text = 0  # characters since the last tag, or in the current cell / string
        self.in_string = False  # inside <si>: its runs count together
        self.string_index = -1
        self.in_cell = False  # inside <c>: its value, formula and inline string count together
        self.cell_ref = self.cell_type = self.value = ""
        self.in_value = self.formula = False
        self.row = ""  # the current row's number
        self.row_has_value = False

    def start(self, name, attrs):
        local = _LOCAL.get(name) or _local(name)
        if local == "c":
            self.in_cell, self.text = True, 0
            self.cell_ref, self.cell_type = attrs.get("r", ""), attrs.get("t", "")
            self.value, self.formula = "", False
        elif local == "v":
            self.in_value = True
        elif local == "f":
            self.formula = True
        elif local == "si":
            self.in_string, self.text = True, 0
            self.string_index += 1
        elif local == "row":
            self.row, self.row_has_value = attrs.get("r", ""), False
        elif local == "mergeCell":
            self.facts.merges.append(excerpt(attrs.get("ref", ""), 20))
        elif local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            self.sheets[rid] = attrs.get("name", "")
        elif local == "Relationship":
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")
        if not (self.in_cell or self.in_string):
            self.text = 0

    def end(self, name):
        local = _LOCAL.get(name) or _local(name)
        if local == "v":
            self.in_value = False
        elif local == "c":
            self.in_cell = False
            if self.cell_type == "s":
                shared = self.value.strip()
                if shared.isdigit() and int(shared) in self.long_strings:
                    raise _TooLong(self.part, self.cell_ref)
            if self.formula and not self.value:
                self.facts.formulas.append(excerpt(self.cell_ref, 20))
            if self.text:
                self.row_has_value = True
        elif local == "si":
            self.in_string = False
        elif local == "row" and self.row_has_value:
            self.facts.rows += 1
            if self.facts.rows > self.row_limit:
                self.facts.stopped_at = int(self.row) if self.row.isdigit() else 0
                raise _RowsEnough
        if not (self.in_cell or self.in_string):
            self.text = 0

    def characters(self, data):
        self.text += len(data)
        if self.text > CELL_MAX_CHARS:
            if self.in_string:
                self.long_strings.add(self.string_index)
                raise _TooLong(self.part, shared=self.string_index)
            raise _TooLong(self.part, self.cell_ref if self.in_cell else "")
        if self.in_value and len(self.value) < 20:
            self.value += data


_LOCAL: dict[str, str] = {}


def _local(name: str) -> str:
    """An element's name without its namespace prefix ("x:c" → "c"), remembered."""
    local = name.rpartition(":")[2]
    if len(_LOCAL) < 256:  # a file may invent any number of names
        _LOCAL[name] = local
    return local


# What reading a damaged part raises: a refused DTD, bad XML, a bad zip member (CRC, deflate
# stream, unsupported compression or encryption), an unknown encoding.
DAMAGED = (
    _Refused,
    expat.ExpatError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    LookupError,
    RuntimeError,
    NotImplementedError,
)


def _refuse(*_args):
    raise _Refused


def _read_part(archive: zipfile.ZipFile, part: str, reader: _PartReader) -> None:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse  # no DTD: no entity can be declared
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def scan(archive: zipfile.ZipFile) -> Scan:
    """Read every XML part of the workbook as a stream (see the module docstring)."""
    parts = [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and info.filename.lower().endswith((".xml", ".rels", ".vml"))
    ]
    # The workbook's list of sheets first (for the names in messages), then the shared
    # strings, so that a worksheet's cell pointing at a long one is named.
    parts.sort(
        key=lambda name: (
            not name.startswith("xl/workbook.xml") and not name.endswith("workbook.xml.rels"),
            "sharedstrings" not in name.lower(),
        )
    )
    result = Scan()
    long_strings: set[int] = set()
    sheets: dict[str, str] = {}
    targets: dict[str, str] = {}
    too_long: _TooLong | None = None
    row_limit = max_rows() + 1  # and the header
    for part in parts:
        reader = _PartReader(part, long_strings, row_limit)
        try:
            _read_part(archive, part, reader)
        except _RowsEnough:
            pass
        except _TooLong as exc:
            if too_long is None or (exc.ref and not too_long.ref):
                too_long = exc
            if exc.shared is None:
                break
            continue  # go on to name a cell that holds the long shared string
        except DAMAGED:
            raise damaged() from None
        if "worksheets/" in part:
            result.sheets[part] = reader.facts
        if part.endswith("workbook.xml"):
            sheets = reader.sheets
        if part.endswith("workbook.xml.rels"):
            targets = reader.targets
    for rid, title in sheets.items():
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        result.titles[part] = title
    if too_long is not None:
        raise _too_long_error(too_long, result.titles)
    return result


def _too_long_error(exc: _TooLong, titles: dict[str, str]) -> ImportFileError:
    limit = format_number(CELL_MAX_CHARS)
    if exc.ref:
        return ImportFileError(
            _(
                "Ô %(cell)s của trang «%(sheet)s» dài hơn %(max)s ký tự: không cột nào của danh "
                "sách dài như vậy (có thể đã dán nhầm cả một văn bản vào ô). Sửa hoặc xóa nội "
                "dung ô đó rồi tải lên lại."
            )
            % {
                "cell": excerpt(exc.ref, 20),
                "sheet": excerpt(titles.get(exc.part, exc.part), 40),
                "max": limit,
            }
        )
    return ImportFileError(
        _(
            "Tệp có một ô dài hơn %(max)s ký tự: không cột nào của danh sách dài như vậy (có "
            "thể đã dán nhầm cả một văn bản vào ô). Sửa hoặc xóa nội dung ô đó rồi tải lên lại."
        )
        % {"max": limit}
    )


# --- The workbook ---------------------------------------------------------------------------


def open_archive(content: bytes) -> zipfile.ZipFile:
    """The upload as a zip archive, after the checks that need no parsing."""
    if not content:
        raise ImportFileError(_("Tệp trống (0 byte)."))
    if len(content) > max_file_bytes():
        raise ImportFileError(
            _("Tệp quá lớn (%(size)s MB): tối đa %(max)s MB. Chia danh sách thành nhiều tệp.")
            % {
                "size": f"{len(content) / 1024 / 1024:.1f}".replace(".", ","),
                "max": max_file_mb(),
            }
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Đây là tệp Excel 97-2003 (.xls). Mở tệp bằng Excel, chọn Lưu thành (Save As) "
                "«Excel Workbook (.xlsx)» rồi tải lên lại."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise ImportFileError(
            _(
                "Tệp không phải tệp Excel .xlsx (có thể là CSV, Word hoặc PDF). Dùng tệp mẫu "
                "tải về từ hệ thống."
            )
        ) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _(
                "Tệp không phải bảng tính Excel .xlsx (có thể là tệp Word, OpenDocument hoặc "
                "tệp nén). Dùng tệp mẫu tải về từ hệ thống."
            )
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("Tệp giải nén quá lớn: không phải một danh sách Tổ bảo vệ ANTT."))
    return archive


def read_workbook(content: bytes) -> tuple[Table, list[RowError]]:
    """Open the workbook and check its columns. Raises ImportFileError for a file that is not
    a roster workbook; returns the table and column errors (row 1) otherwise."""
    archive = open_archive(content)
    facts = scan(archive)

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise damaged() from None
    try:
        sheet = _roster_sheet(book)
        sheet_facts = facts.sheets.get(getattr(sheet, "_worksheet_path", "").lstrip("/"))
        _check_sheet(sheet_facts, sheet)
        try:
            return _read_rows(sheet, sheet_facts.stopped_at if sheet_facts else None)
        except ImportFileError:
            raise
        except Exception:  # a well-formed part that openpyxl cannot read (e.g. "abc" as a number)
            raise damaged() from None
    finally:
        book.close()


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Tệp có hơn %(max)s dòng dữ liệu: mỗi lần nhập tối đa %(max)s dòng (một xã, phường). "
            "Chia tệp hoặc kiểm tra lại có đúng tệp không."
        )
        % {"max": format_number(limit)}
    )


def _read_rows(sheet, stopped_at: int | None) -> tuple[Table, list[RowError]]:
    """The header and the data rows; `stopped_at`: the last row the scan read."""
    limit = max_rows()
    # Some programs write a wrong <dimension> (or none); read what is really there.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or all(blank(v) for v in header):
        raise ImportFileError(
            _("Tệp trống: dòng 1 phải là tiêu đề cột như trong tệp mẫu, từ dòng 2 là thành viên.")
        )
    table, errors = _headers(header)
    width = len(header)
    for number, values in enumerate(rows, start=2):
        if values is None or all(blank(v) for v in values):
            continue
        if len(table.rows) >= limit or (stopped_at is not None and number > stopped_at):
            raise _too_many_rows(limit)
        values = tuple(values[:width]) + (None,) * (width - len(values))
        stray = [i for i in table.dropped if not blank(values[i])]
        if stray:
            errors.append(
                RowError(
                    number,
                    _("Cột %(n)s") % {"n": stray[0] + 1},
                    _("Ô có dữ liệu nhưng cột chưa có tiêu đề."),
                )
            )
        table.rows.append(tuple(values[i] for i in table.kept))
        table.row_numbers.append(number)
    if not table.rows:
        raise ImportFileError(_("Tệp không có dòng thành viên nào (chỉ có dòng tiêu đề)."))
    return table, errors


def _roster_sheet(book):
    """The sheet «Danh sách»; otherwise the sheet whose first row has the most of the
    template's column titles. A workbook of several sheets none of which has them is refused
    with their names (the officer uploaded the wrong file or put the list on another sheet)."""
    if SHEET_NAME in book.sheetnames:
        return book[SHEET_NAME]
    sheets = book.worksheets
    if len(sheets) == 1:
        return sheets[0]
    best, best_score = sheets[0], 0
    for sheet in sheets:
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None) or ()
        score = sum(1 for v in header if not blank(v) and key(v) in BY_KEY)
        if score > best_score:
            best, best_score = sheet, score
    if best_score == 0:
        raise ImportFileError(
            _(
                "Không tìm thấy trang danh sách: không trang nào (%(names)s) có dòng 1 là tiêu "
                "đề cột như tệp mẫu. Đặt danh sách vào trang «%(sheet)s» của tệp mẫu rồi tải "
                "lên lại."
            )
            % {
                "names": ", ".join(f"«{excerpt(s.title, 40)}»" for s in sheets[:10]),
                "sheet": SHEET_NAME,
            }
        )
    return best


def _check_sheet(facts: _SheetFacts | None, sheet) -> None:
    """Merged cells (only the first cell keeps the value, so the other rows would silently lose
    it) and formulas without a computed value (a file written by a program that does not
    calculate: the cell reads as empty)."""
    if facts is None:
        return
    if facts.merges:
        ranges = facts.merges
        raise ImportFileError(
            _(
                "Trang «%(sheet)s» có ô gộp (Merge) ở %(ranges)s: ô gộp chỉ giữ giá trị ở ô đầu "
                "nên các dòng khác sẽ bị thiếu. Chọn cả trang, bỏ gộp ô (Unmerge Cells), ghi "
                "giá trị vào từng dòng rồi tải lên lại."
            )
            % {
                "sheet": excerpt(sheet.title, 40),
                "ranges": ", ".join(ranges[:5]) + ("…" if len(ranges) > 5 else ""),
            }
        )
    if facts.formulas:
        cells = facts.formulas
        raise ImportFileError(
            _(
                "Ô %(cells)s chứa công thức chưa được tính ra giá trị (tệp do chương trình "
                "khác tạo). Mở tệp bằng Excel và lưu lại, hoặc sao chép rồi dán giá trị "
                "(Paste Values) thay cho công thức, rồi tải lên lại."
            )
            % {"cells": ", ".join(cells[:5]) + ("…" if len(cells) > 5 else "")}
        )


@dataclass
class _Table(Table):
    kept: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # no header: data there is an error
    ignored: list[int] = field(default_factory=list)  # STT, or already reported in row 1


def _headers(header) -> tuple[_Table, list[RowError]]:
    table = _Table(headers=[], rows=[], row_numbers=[])
    errors = []
    seen = {}
    for i, value in enumerate(header):
        if blank(value):
            table.dropped.append(i)
            continue
        k = key(value)
        if k in IGNORED_HEADERS:
            table.ignored.append(i)
            continue
        column = BY_KEY.get(k)
        if column is None:
            errors.append(
                RowError(
                    1,
                    excerpt(value, 40),
                    _("Cột «%(value)s» không có trong tệp mẫu. Dùng đúng tiêu đề cột của tệp mẫu.")
                    % {"value": excerpt(value)},
                )
            )
            table.ignored.append(i)
            continue
        if column.name in seen:
            errors.append(
                RowError(
                    1,
                    excerpt(value, 40),
                    _("Cột «%(name)s» xuất hiện hai lần.") % {"name": column.header},
                )
            )
            table.ignored.append(i)
            continue
        seen[column.name] = i
        table.kept.append(i)
        table.headers.append(column.name)
    for column in TEMPLATE:
        if column.required and column.name not in seen:
            errors.append(
                RowError(
                    1,
                    column.header,
                    _("Thiếu cột «%(name)s» (xem tệp mẫu).") % {"name": column.header},
                )
            )
    return table, errors
