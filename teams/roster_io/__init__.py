"""Roster workbooks (Excel .xlsx): the blank template, the export of any filtered list, and the
all-or-nothing import, used by the roster pages, the `import_roster` command and the demo.

- `columns`: the workbook's columns, built from the roster fields (teams.models) — headers,
  where each value lives, how a cell becomes a value and back;
- `reader`: the hardened reader (limits, a streaming scan of the XML, openpyxl read-only);
- `plan`: the checks of every row against facts loaded once, and the bulk write;
- `report`: what an import found (errors by row and column, preview, counts);
- `writer`: the template and the export.

Row numbers in messages are Excel's (the header is row 1, the first member row 2). File-level
problems (not an .xlsx file, too large, empty, damaged) are reported with row 0.

Why not django-import-export (which this used to be built on): its import is one model
instance per row, found by id fields, validated and saved by the resource's hooks
(`before_import_row`, `import_instance`, `validate_instance`, `save_instance`). A roster row is
two models (a person and their appointment), checked against the whole file (the same CCCD
twice, one Tổ trưởng per team, a quota filled by several rows) and written with
django-simple-history's bulk helpers so that every row has its history; the resource had to
override `import_row` wholesale, so none of those hooks ran. Its reading goes through tablib,
which cannot be hardened (see `reader`), so the file was read here anyway; and it turns any
exception in a row into a row "error", hiding bugs. What was left — attribute paths for export
columns and one transaction — is a few lines here.
"""

from .plan import import_records, import_roster
from .reader import ImportFileError, max_file_bytes, max_file_mb, max_rows
from .report import ImportReport, PreviewRow, RowError
from .writer import XLSX_CONTENT_TYPE, export_xlsx, template_xlsx

__all__ = [
    "XLSX_CONTENT_TYPE",
    "ImportFileError",
    "ImportReport",
    "PreviewRow",
    "RowError",
    "export_xlsx",
    "import_records",
    "import_roster",
    "max_file_bytes",
    "max_file_mb",
    "max_rows",
    "template_xlsx",
]
