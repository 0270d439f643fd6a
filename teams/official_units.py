"""Load both administrative trees from the official `vietnam-provinces` package.

- the pre-2025 tree (63 provinces → 696 districts → 10,051 communes), valid until 30 Jun 2025;
- the 2025 tree (34 provinces → 3,321 communes), valid from 1 Jul 2025;
- the conversion table between them (which old communes formed each new one), from which each
  new commune's *jurisdiction* follows: the old province whose resolutions still apply to it
  (Resolution 190/2025/QH15 Art. 10; domain.md §6).

Idempotent: units are matched on (tree, level, code); a second run changes nothing. Units that
disappeared from the package are reported, never deleted (rosters may hang off them).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, models, transaction
from vietnam_provinces import Province, Ward, legacy
from vietnam_provinces._province_conversion_2025 import NEW_TO_OLD as PROVINCE_NEW_TO_OLD
from vietnam_provinces._ward_conversion_2025 import NEW_TO_OLD as WARD_NEW_TO_OLD

from core.setsql import insert_rows

from .models import AdministrativeUnit, Level, Tree, UnitKind, UnitSuccession, search_key

LEGACY_LAST_DAY = datetime.date(2025, 6, 30)
CURRENT_FIRST_DAY = datetime.date(2025, 7, 1)
BATCH = 1000

KIND_BY_DIVISION_TYPE = {
    "tỉnh": UnitKind.TINH,
    "thành phố trung ương": UnitKind.THANH_PHO_TW,
    "quận": UnitKind.QUAN,
    "huyện": UnitKind.HUYEN,
    "thị xã": UnitKind.THI_XA,
    "thành phố": UnitKind.THANH_PHO,
    "xã": UnitKind.XA,
    "phường": UnitKind.PHUONG,
    "thị trấn": UnitKind.THI_TRAN,
    "đặc khu": UnitKind.DAC_KHU,
}
UPDATABLE = [
    "kind",
    "name",
    "search_name",
    "parent",
    "path",
    "valid_from",
    "valid_to",
    "jurisdiction",
    "jurisdiction_note",
]


@dataclass
class StageResult:
    label: str
    total: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class ImportSummary:
    stages: list[StageResult] = field(default_factory=list)
    successions_created: int = 0
    missing_from_package: list[str] = field(default_factory=list)
    flagged: list[AdministrativeUnit] = field(default_factory=list)


@dataclass(frozen=True)
class UnitRow:
    """One unit as the package describes it, before it is matched against the database."""

    tree: str
    level: str
    kind: str
    code: str
    name: str
    parent_key: tuple[str, str, str] | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    jurisdiction: str = ""
    jurisdiction_note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.tree, self.level, self.code)


def _code(value: int, width: int) -> str:
    return f"{value:0{width}d}"


def legacy_rows() -> Iterator[UnitRow]:
    old = {"tree": Tree.LEGACY, "valid_from": None, "valid_to": LEGACY_LAST_DAY}
    for p in legacy.Province.iter_all():
        code = _code(p.code, 2)
        yield UnitRow(
            **old,
            level=Level.PROVINCE,
            kind=KIND_BY_DIVISION_TYPE[p.division_type],
            code=code,
            name=p.name,
            parent_key=None,
            jurisdiction=code,
        )
    for d in legacy.District.iter_all():
        province = _code(d.province_code, 2)
        yield UnitRow(
            **old,
            level=Level.DISTRICT,
            kind=KIND_BY_DIVISION_TYPE[d.division_type],
            code=_code(d.code, 3),
            name=d.name,
            parent_key=(Tree.LEGACY, Level.PROVINCE, province),
            jurisdiction=province,
        )
    for w in legacy.Ward.iter_all():
        yield UnitRow(
            **old,
            level=Level.COMMUNE,
            kind=KIND_BY_DIVISION_TYPE[w.division_type],
            code=_code(w.code, 5),
            name=w.name,
            parent_key=(Tree.LEGACY, Level.DISTRICT, _code(w.district_code, 3)),
            jurisdiction=_code(w.province_code, 2),
        )


def current_rows() -> Iterator[UnitRow]:
    new = {"tree": Tree.CURRENT, "valid_from": CURRENT_FIRST_DAY, "valid_to": None}
    for p in Province.iter_all():
        sources = PROVINCE_NEW_TO_OLD.get(p.code.value)
        old_codes = sorted(_code(o.code, 2) for o in sources.old_provinces) if sources else []
        yield UnitRow(
            **new,
            level=Level.PROVINCE,
            kind=KIND_BY_DIVISION_TYPE[p.division_type],
            code=_code(p.code, 2),
            name=p.name,
            parent_key=None,
            # A province formed from several old ones runs several rule sets: none of its own.
            jurisdiction=old_codes[0] if len(old_codes) == 1 else "",
        )
    for w in Ward.iter_all():
        jurisdiction, note = commune_jurisdiction(w)
        yield UnitRow(
            **new,
            level=Level.COMMUNE,
            kind=KIND_BY_DIVISION_TYPE[w.division_type],
            code=_code(w.code, 5),
            name=w.name,
            parent_key=(Tree.CURRENT, Level.PROVINCE, _code(w.province_code, 2)),
            jurisdiction=jurisdiction,
            jurisdiction_note=note,
        )


def commune_jurisdiction(ward: Ward) -> tuple[str, str]:
    """The old province whose resolutions apply to a new commune, and a note when it needs a look.

    Normally every old commune it was formed from lay in one old province. When they lay in
    several, the province contributing the most whole communes is chosen and the case is flagged.
    Island special zones formed directly from an old district have no commune-level mapping; they
    are linked to the old island district they were formed from.
    """
    entry = WARD_NEW_TO_OLD.get(ward.code.value)
    if entry is None:
        return _jurisdiction_from_old_district(ward)
    provinces = Counter(o.province_code for o in entry.old_wards)
    if len(provinces) == 1:
        return _code(next(iter(provinces)), 2), ""
    whole = Counter(o.province_code for o in entry.old_wards if not o.is_partly_merged)
    chosen = max(provinces, key=lambda code: (whole[code], provinces[code], -code))
    listed = ", ".join(_code(c, 2) for c in sorted(provinces))
    return _code(chosen, 2), (
        f"Hình thành từ xã, phường của nhiều tỉnh cũ ({listed}); tạm áp dụng quy định của tỉnh "
        f"mã {_code(chosen, 2)} (nhiều đơn vị nhập nguyên trạng nhất). Cần cán bộ kiểm tra."
    )


def island_zone_source(ward: Ward) -> legacy.District | None:
    """The old island district a special zone was formed from, matched by name within the old
    provinces of its new province (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo had no
    communes, so the commune conversion table does not list them)."""
    sources = PROVINCE_NEW_TO_OLD.get(ward.province_code.value)
    old_provinces = {o.code for o in sources.old_provinces} if sources else set()
    name = search_key(ward.name.removeprefix("Đặc khu "))
    matches = [
        d
        for d in legacy.District.iter_all()
        if d.province_code in old_provinces and search_key(d.name.split(" ", 1)[1]) == name
    ]
    return matches[0] if len(matches) == 1 else None


def _jurisdiction_from_old_district(ward: Ward) -> tuple[str, str]:
    district = island_zone_source(ward)
    if district is None:
        return "", "Không xác định được tỉnh cũ: cán bộ quản trị cần nhập thẩm quyền."
    return _code(district.province_code, 2), ""


def _chunks(items: list, size: int) -> Iterable[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


#: What the import derives of a unit from the package, in this order: the columns it compares
#: with the database and writes (`parent_id`: the column of UPDATABLE's "parent").
VALUES = [f if f != "parent" else "parent_id" for f in UPDATABLE]
PATH, JURISDICTION, NOTE = (
    VALUES.index("path"),
    VALUES.index("jurisdiction"),
    VALUES.index("jurisdiction_note"),
)


@dataclass(slots=True)
class _Known:
    """A unit the import knows of, as the database has it (or will, once written): its id and
    VALUES as a tuple. Compared as tuples, not as 14,000 model instances loaded and read
    field by field: a second run that changes nothing is a third cheaper."""

    pk: int
    values: tuple
    jurisdiction_confirmed: bool = False


class UnitImporter:
    """Matches package rows against the database level by level (parents before children)."""

    def __init__(self, progress: Callable[[str], None]):
        self.progress = progress
        self.summary = ImportSummary()
        self.seen: set[tuple[str, str, str]] = set()
        self.by_key: dict[tuple[str, str, str], _Known] = {
            (tree, level, code): _Known(pk, tuple(values), confirmed)
            for tree, level, code, pk, confirmed, *values in AdministrativeUnit.objects.values_list(
                "tree", "level", "code", "pk", "jurisdiction_confirmed", *VALUES
            )
        }

    def run(self) -> ImportSummary:
        stages = [
            ("Tỉnh, thành phố (trước 01/07/2025)", Tree.LEGACY, Level.PROVINCE),
            ("Quận, huyện (trước 01/07/2025)", Tree.LEGACY, Level.DISTRICT),
            ("Xã, phường, thị trấn (trước 01/07/2025)", Tree.LEGACY, Level.COMMUNE),
            ("Tỉnh, thành phố (từ 01/07/2025)", Tree.CURRENT, Level.PROVINCE),
            ("Xã, phường, đặc khu (từ 01/07/2025)", Tree.CURRENT, Level.COMMUNE),
        ]
        rows = [*legacy_rows(), *current_rows()]
        for label, tree, level in stages:
            self.import_stage(label, [r for r in rows if r.tree == tree and r.level == level])
        self.import_successions()
        name = VALUES.index("name")
        self.summary.missing_from_package = sorted(
            f"{u.values[name]} ({key[2]})" for key, u in self.by_key.items() if key not in self.seen
        )
        # The units as they are now written, in the order the import knows them.
        flagged = [
            u.pk
            for key, u in self.by_key.items()
            if key[1] == Level.COMMUNE and u.values[NOTE] and not u.jurisdiction_confirmed
        ]
        units = AdministrativeUnit.objects.in_bulk(flagged) if flagged else {}
        self.summary.flagged = [units[pk] for pk in flagged]
        return self.summary

    def import_stage(self, label: str, rows: list[UnitRow]) -> None:
        result = StageResult(label, total=len(rows))
        to_create: list[tuple[UnitRow, tuple]] = []
        to_update: list[_Known] = []
        for row in rows:
            self.seen.add(row.key)
            parent = self.by_key[row.parent_key] if row.parent_key else None
            unit = self.by_key.get(row.key)
            if unit is not None and unit.jurisdiction_confirmed:
                # An administrator's checked answer outranks the package's derivation.
                jurisdiction, note = unit.values[JURISDICTION], unit.values[NOTE]
            else:
                jurisdiction, note = row.jurisdiction, row.jurisdiction_note
            values = (
                row.kind,
                row.name,
                search_key(row.name),
                parent.pk if parent else None,
                (parent.values[PATH] if parent else f"{row.tree}/") + f"{row.code}/",
                row.valid_from,
                row.valid_to,
                jurisdiction,
                note,
            )  # in VALUES order
            if unit is None:
                to_create.append((row, values))
            elif values != unit.values:
                unit.values = values
                to_update.append(unit)
        done = 0
        for chunk in _chunks(to_create, BATCH):
            _insert_units(chunk)
            done += len(chunk)
            self.progress(f"  {label}: {done}/{len(to_create)} đơn vị mới")
        for chunk in _chunks(to_update, BATCH):
            AdministrativeUnit.objects.bulk_update(
                [
                    AdministrativeUnit(pk=u.pk, **dict(zip(VALUES, u.values, strict=True)))
                    for u in chunk
                ],
                UPDATABLE,
            )
        result.created, result.updated = len(to_create), len(to_update)
        if to_create:  # so that children can point at the new primary keys
            new_pks = dict(
                AdministrativeUnit.objects.filter(tree=rows[0].tree, level=rows[0].level)
                .order_by()
                .values_list("code", "pk")
            )
            for row, values in to_create:
                self.by_key[row.key] = _Known(new_pks[row.code], values)
        self.summary.stages.append(result)
        self.progress(f"{label}: {result.total} (mới {result.created}, cập nhật {result.updated})")

    def import_successions(self) -> None:
        wanted: dict[tuple[int, int], bool] = {}
        for new_code, entry in WARD_NEW_TO_OLD.items():
            new = self.by_key[(Tree.CURRENT, Level.COMMUNE, _code(new_code, 5))]
            for old_ref in entry.old_wards:
                old = self.by_key.get((Tree.LEGACY, Level.COMMUNE, _code(old_ref.code, 5)))
                if old is not None:
                    wanted[(old.pk, new.pk)] = old_ref.is_partly_merged
        for ward in Ward.iter_all():
            if ward.code.value not in WARD_NEW_TO_OLD and (old := island_zone_source(ward)):
                new = self.by_key[(Tree.CURRENT, Level.COMMUNE, _code(ward.code.value, 5))]
                old_unit = self.by_key[(Tree.LEGACY, Level.DISTRICT, _code(old.code, 3))]
                wanted[(old_unit.pk, new.pk)] = False
        for new_code, entry in PROVINCE_NEW_TO_OLD.items():
            new = self.by_key[(Tree.CURRENT, Level.PROVINCE, _code(new_code, 2))]
            for old_ref in entry.old_provinces:
                old = self.by_key[(Tree.LEGACY, Level.PROVINCE, _code(old_ref.code, 2))]
                wanted[(old.pk, new.pk)] = False
        existing = {
            (old, new): (pk, partly)
            for pk, old, new, partly in UnitSuccession.objects.values_list(
                "pk", "predecessor_id", "successor_id", "partly"
            )
        }
        missing = [
            UnitSuccession(predecessor_id=old, successor_id=new, partly=partly)
            for (old, new), partly in wanted.items()
            if (old, new) not in existing
        ]
        changed = [
            UnitSuccession(pk=pk, predecessor_id=old, successor_id=new, partly=wanted[(old, new)])
            for (old, new), (pk, partly) in existing.items()
            if (old, new) in wanted and partly != wanted[(old, new)]
        ]
        insert_rows(
            UnitSuccession,
            ["predecessor", "successor", "partly"],
            [(s.predecessor_id, s.successor_id, s.partly) for s in missing],
        )
        UnitSuccession.objects.bulk_update(changed, ["partly"], batch_size=BATCH)
        self.summary.successions_created = len(missing)
        self.progress(f"Liên kết sắp xếp đơn vị: {len(wanted)} (mới {len(missing)})")


# Every column of a unit, for `_insert_units`.
UNIT_FIELDS = [f for f in AdministrativeUnit._meta.concrete_fields if not f.primary_key]


def _insert_units(units: list[tuple[UnitRow, tuple]]) -> None:
    """Insert new units (each a package row and its VALUES) without the ORM's bulk_create:
    compiling its multi-row INSERTs, value by value, was most of the import's time (14,000
    units × 15 columns); `insert_rows` is COPY on PostgreSQL and one prepared INSERT on SQLite.
    The other columns have a new unit's defaults; dates are adapted as the database stores
    them (the only type neither driver takes as is)."""
    adapt_date = connection.ops.adapt_datefield_value
    template = AdministrativeUnit()
    defaults = {f.attname: getattr(template, f.attname) for f in UNIT_FIELDS}
    dates = {f.attname for f in UNIT_FIELDS if isinstance(f, models.DateField)}
    attnames = [f.attname for f in UNIT_FIELDS]
    rows = []
    for row, values in units:
        unit = {**defaults, "tree": row.tree, "level": row.level, "code": row.code}
        unit.update(zip(VALUES, values, strict=True))
        rows.append(
            tuple(adapt_date(unit[name]) if name in dates else unit[name] for name in attnames)
        )
    insert_rows(AdministrativeUnit, attnames, rows)


@transaction.atomic
def units_import(*, progress: Callable[[str], None] = lambda _msg: None) -> ImportSummary:
    """Load or refresh both trees; all or nothing."""
    return UnitImporter(progress).run()
