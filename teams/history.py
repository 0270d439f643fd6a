"""Field-level history of roster records, read from django-simple-history's tables.

`entries_for_person` gives the member page its "who changed what, when, from what to what";
`changes_since` tells an officer whose save lost an optimistic-locking race what the other
officer changed. Both compare consecutive snapshots of the tracked fields, shown with the
fields' Vietnamese names and values as people read them (labels of choices, dd/mm/yyyy).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from core.formatting import format_date
from rules.base import ConcurrentPost

HIDDEN = {
    "id", "version", "created_at", "updated_at", "search_name", "person", "team", "commune",
    "transferred_to",
}  # fmt: skip


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    subject: str  # "Hồ sơ cá nhân" or "Tổ bảo vệ ANTT Khu 1 · Tổ viên"
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}.get(self.kind, self.kind)


def show(f: models.Field, value) -> str:
    if value in (None, "", []):
        return "—"
    if f.name == "concurrent_posts":
        return "; ".join(ConcurrentPost(v).label if v in ConcurrentPost else v for v in value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(f, models.ForeignKey):
        return f"#{value}"
    return str(value)


def label(f: models.Field) -> str:
    text = str(f.verbose_name)
    return text[:1].upper() + text[1:]


def _fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN and not f.name.startswith("history_")
    ]


def diff(model, old, new) -> list[Change]:
    """Changes between two snapshots (historical records or instances) of `model`."""
    changes = []
    for f in _fields(model):
        attname = f.attname
        before = getattr(old, attname, None) if old is not None else None
        after = getattr(new, attname, None)
        if before != after and not (before in (None, "", []) and after in (None, "", [])):
            changes.append(Change(f.name, label(f), show(f, before), show(f, after)))
    return changes


def who(record) -> str:
    user = record.history_user
    if user is None:
        return _("Hệ thống")
    return str(user) or user.username


def _entries(model, records, subject_of) -> list[Entry]:
    entries = []
    previous: dict[int, object] = {}
    for record in records:  # oldest first
        old = previous.get(record.id)
        changes = diff(model, old, record) if record.history_type != "-" else []
        if record.history_type == "~" and not changes:
            previous[record.id] = record
            continue
        entries.append(
            Entry(
                when=record.history_date,
                who=who(record),
                subject=subject_of(record),
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous[record.id] = record
    return entries


def entries_for_person(person, memberships) -> list[Entry]:
    """The person's record and the given memberships (those the viewer may see), newest first:
    two queries, however long the history."""
    from .models import Membership, Person

    person_records = (
        Person.history.filter(id=person.pk).select_related("history_user").order_by("history_id")
    )
    entries = _entries(Person, person_records, lambda r: _("Hồ sơ cá nhân"))
    by_id = {m.pk: m for m in memberships}
    if by_id:
        records = (
            Membership.history.filter(id__in=list(by_id))
            .select_related("history_user")
            .order_by("history_id")
        )
        entries += _entries(
            Membership,
            records,
            lambda r: (
                f"{by_id[r.id].team.name} · {dict(Membership._meta.get_field('role').flatchoices).get(r.role, r.role)}"
            ),
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def changes_since(obj, version: int):
    """What was saved on `obj` after `version`: (changes, who, when) of the latest save,
    compared with the snapshot at `version`."""
    model = type(obj)
    records = list(
        model.history.filter(id=obj.pk, version__gte=version)
        .select_related("history_user")
        .order_by("history_id")
    )
    base = next((r for r in records if r.version == version), None)
    latest = records[-1] if records else None
    if latest is None:
        return [], _("một cán bộ khác"), getattr(obj, "updated_at", None)
    changes = diff(model, base, obj) if base is not None else []
    return changes, who(latest), latest.history_date
