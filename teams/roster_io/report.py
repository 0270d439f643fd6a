"""What an import found: its errors (row, column, message), a preview of what each row does,
and the counts. The dry run's report is kept with the upload (`RosterImport.report`) between
checking and confirming, so what is kept is bounded: the first `ERRORS_KEPT` errors and
`PREVIEW_KEPT` preview rows, with the full counts beside them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERRORS_KEPT = 1_000
PREVIEW_KEPT = 200
# What a row does, as shown on the preview.
NEW, UPDATE, SKIP = "new", "update", "skip"


@dataclass
class RowError:
    row: int  # Excel's row number (the header is row 1); 0 for the file as a whole
    column: str  # the column's header, or ""
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PreviewRow:
    row: int
    name: str
    cccd: str
    team: str
    role: str
    action: str  # NEW, UPDATE or SKIP


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    imported: bool = False
    # Counts of the whole file when `errors` / `preview` were cut to what is kept.
    error_total: int | None = None
    preview_total: int | None = None

    @property
    def error_count(self) -> int:
        return len(self.errors) if self.error_total is None else self.error_total

    @property
    def preview_count(self) -> int:
        return len(self.preview) if self.preview_total is None else self.preview_total

    def as_json(self) -> dict:
        """The command's output: exactly these three keys."""
        return {
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }

    def as_dict(self) -> dict:
        """What is stored with the upload: at most ERRORS_KEPT errors and PREVIEW_KEPT rows."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors[:ERRORS_KEPT]],
            "error_total": self.error_count,
            "preview": [asdict(p) for p in self.preview[:PREVIEW_KEPT]],
            "preview_total": self.preview_count,
            "imported": self.imported,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        return cls(
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(**e) for e in data.get("errors", [])],
            preview=[PreviewRow(**p) for p in data.get("preview", [])],
            imported=data.get("imported", False),
            error_total=data.get("error_total"),
            preview_total=data.get("preview_total"),
        )
