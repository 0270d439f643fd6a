"""The columns of the roster workbooks: one per roster field (teams.models.PERSON_FIELDS and
MEMBERSHIP_FIELDS, in their order), plus the team, the commune and the end of a membership.

Each column knows its Vietnamese header, where its value lives on a `Membership`, and how a
cell becomes a value and back (`Cell`): chosen from the model field, so that a new roster
field needs nothing here. A date field reads real Excel dates and dates typed as text and is
written as a real date shown dd/mm/yyyy; a field with choices reads its labels without case or
diacritics; any other field is text. Messages quote at most a short prefix of what a cell held
(`teams.validation.excerpt`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.forms import DATE_INPUT_FORMATS, check_plausible_date
from rules import cccd as cccd_rules

from ..models import (
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    POST_CHOICES,
    Membership,
    Person,
    search_key,
)
from ..validation import excerpt


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return " ".join(search_key(text).split())


def key(text) -> str:
    """How headers, team names and list values are compared: no case, no diacritics."""
    return _key(str(text)) if text is not None else ""


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Cells: a cell's value ↔ a field's value, with Vietnamese messages --------------------------


class Cell:
    """Text: spaces collapsed; a whole number typed in a number cell loses its ".0"."""

    def read(self, value):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())

    def write(self, value):
        return "" if value is None else value


class CccdCell(Cell):
    """Numbers typed into a cell formatted as a number lose their leading zero; every CCCD
    starts with 0 (province codes 001–096), so an 11-digit number cell gets it back."""

    def read(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and len(str(value)) == cccd_rules.LENGTH - 1:
            return f"{value:0{cccd_rules.LENGTH}d}"
        return cccd_rules.normalize(super().read(value))


class DateCell(Cell):
    """Real Excel dates, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy,
    yyyy-mm-dd). Written as real dates; the writer shows them dd/mm/yyyy."""

    FORMATS = [*DATE_INPUT_FORMATS, "%d.%m.%Y"]  # the forms' formats, and dots
    DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")

    def read(self, value):
        """The date, inside core.forms.PLAUSIBLE_DATES (the same bound as the forms)."""
        day = self._read(value)
        try:
            check_plausible_date(day)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        return day

    def _read(self, value):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and 1 <= value < 80_000:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        text = str(value).strip()
        if match := self.DMY.match(text):  # the common case, without strptime
            day, month, year = map(int, match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("«%(text)s» không phải ngày hợp lệ: nhập dạng ngày/tháng/năm, ví dụ 05/07/2024.")
            % {"text": excerpt(text)}
        )

    def write(self, value):
        return value


class ChoiceCell(Cell):
    """A label from a fixed list, matched without case or diacritics ("to truong" =
    "Tổ trưởng"); the stored value and the `aliases` officers use are also accepted."""

    def __init__(self, choices, *, aliases=None):
        self.labels = {value: str(label) for value, label in choices}
        self.lookup = {}
        for value, label in self.labels.items():
            self.lookup[key(label)] = value
            self.lookup[key(value)] = value
        for alias, value in (aliases or {}).items():
            self.lookup[key(alias)] = value

    def read(self, value):
        text = super().read(value)
        if not text:
            return ""
        found = self.lookup.get(key(text))
        if found is None:
            options = ", ".join(self.labels.values())
            if len(options) > 200:
                options = options[:200] + "…"
            raise ValueError(
                _("«%(text)s» không hợp lệ: chọn một trong: %(options)s.")
                % {"text": excerpt(text), "options": options}
            )
        return found

    def write(self, value):
        return self.labels.get(value, value or "")


class PostsCell(ChoiceCell):
    """Several posts in one cell, separated by ";" (or new lines)."""

    def read(self, value):
        text = "" if value is None else str(value)
        posts = []
        for part in text.replace("\n", ";").split(";"):
            if part.strip():
                posts.append(super().read(part))
        return posts

    def write(self, value):
        return "; ".join(self.labels.get(v, v) for v in value or [])


# How officers write some list values.
ALIASES = {
    "education": {
        "THCS": "thcs", "THPT": "thpt", "cấp 2": "thcs", "cấp 3": "thpt", "cấp 1": "tieu_hoc",
    },
    "household_status": {"Nghèo": "ngheo", "Cận nghèo": "can_ngheo", "Không": "khac"},
    "ethnicity": {
        "Khơ-me": "Khmer", "Khơ me": "Khmer", "H'Mông": "Mông", "Hmông": "Mông", "Mèo": "Mông",
    },
}  # fmt: skip
SPECIAL_CELLS = {"cccd": CccdCell(), "concurrent_posts": PostsCell(POST_CHOICES)}


def cell_for(model_field: models.Field) -> Cell:
    if model_field.name in SPECIAL_CELLS:
        return SPECIAL_CELLS[model_field.name]
    if isinstance(model_field, models.DateField):
        return DateCell()
    if model_field.choices:
        return ChoiceCell(model_field.choices, aliases=ALIASES.get(model_field.name))
    return Cell()


# --- Columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the field's name, also the key of a row's values
    header: str  # the column's title in the workbook (Vietnamese)
    path: tuple[str, ...]  # attributes from a Membership to the value
    cell: Cell
    required: bool = False  # an import file must have it
    default: object = None  # an optional column left out, or its cell left blank

    @property
    def is_date(self) -> bool:
        return isinstance(self.cell, DateCell)

    @property
    def is_list(self) -> bool:
        """Values from a fixed list (the template offers a drop-down)."""
        return type(self.cell) is ChoiceCell

    @property
    def is_text(self) -> bool:
        return type(self.cell) in (Cell, CccdCell)

    def read(self, value):
        """A cell's value as the field's value. Raises ValueError with the message."""
        if not self.required and blank(value):
            return self.default
        return self.cell.read(value)

    def value_of(self, membership: Membership):
        value = membership
        for attribute in self.path:
            value = getattr(value, attribute)
        return value

    def write(self, membership: Membership):
        return self.cell.write(self.value_of(membership))


def _column(model, entry, prefix: tuple[str, ...] = ()) -> Column:
    model_field = model._meta.get_field(entry.name)
    return Column(
        name=entry.name,
        header=entry.header,
        path=(*prefix, entry.name),
        cell=cell_for(model_field),
        required=entry.required,
        default=model_field.get_default(),
    )


def _membership_column(name: str, header: str) -> Column:
    model_field = Membership._meta.get_field(name)
    return Column(name, header, (name,), cell_for(model_field), default=model_field.get_default())


COMMUNE = Column("commune", "Xã, phường", ("team", "commune", "name"), Cell(), default="")
TEAM = Column("team", "Tổ bảo vệ ANTT", ("team", "name"), Cell(), required=True)
PERSON = [_column(Person, entry, ("person",)) for entry in PERSON_FIELDS]
MEMBERSHIP = [_column(Membership, entry) for entry in MEMBERSHIP_FIELDS]
# Exported, never imported: an import records members who serve (ends have their own page).
END = [
    _membership_column("end_date", "Ngày thôi tham gia"),
    _membership_column("end_ground", "Căn cứ thôi tham gia"),
    _membership_column("end_decision_number", "Số QĐ thôi tham gia"),
    _membership_column("end_decision_date", "Ngày QĐ thôi tham gia"),
]
TEMPLATE = [TEAM, *PERSON, *MEMBERSHIP]  # the blank template's columns
EXPORT = [COMMUNE, *TEMPLATE, *END]  # every column, the order of an export
BY_NAME = {column.name: column for column in EXPORT}
BY_KEY = {key(column.header): column for column in EXPORT}
# Accepted and ignored: the row number officers keep in their sheets.
IGNORED_HEADERS = {"stt", "so thu tu"}


def header_of(name: str) -> str:
    column = BY_NAME.get(name)
    return column.header if column else ""
