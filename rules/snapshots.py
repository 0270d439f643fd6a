"""Writing `RuleSnapshot`s in bulk: how each amount was computed, stored once per distinct case.

Allowance runs and insurance lists both keep, for every line, the rule module, citation, trace
and parameter values that produced it. Identical computations share one content-addressed row
(`RuleSnapshot.digest`), so a national run writes a few thousand snapshots, not 276,000. It
lives in `rules` because the snapshot records a rule's result; both apps above use it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .catalogue import choice_name, parameter_label
from .dates import format_date
from .models import RuleSnapshot
from .parameters import Source, source_of, where


class SnapshotStore:
    """Content-addressed snapshots, created in bulk and shared between identical lines."""

    def __init__(self):
        self.pending: dict[str, RuleSnapshot] = {}
        # Results are shared between the members of one case (allowances.compute memoises
        # them), so each one is serialised and hashed once, not once per member.
        self.by_result: dict[int, RuleSnapshot] = {}
        self._keep_alive: list = []

    def for_result(self, result) -> RuleSnapshot:
        snapshot = self.by_result.get(id(result))
        if snapshot is None:
            trace = [item.as_dict() for item in result.trace]
            parameters = [p.as_dict() for p in result.parameters]
            snapshot = self.get(result.rule_module, result.citation, trace, parameters)
            self.by_result[id(result)] = snapshot
            self._keep_alive.append(result)  # id() stays unique while the store lives
        return snapshot

    def get(self, rule_module: str, citation: str, trace: list, parameters: list) -> RuleSnapshot:
        digest = RuleSnapshot.digest_of(rule_module, citation, trace, parameters)
        if digest not in self.pending:
            self.pending[digest] = RuleSnapshot(
                digest=digest,
                rule_module=rule_module,
                citation=citation,
                trace=trace,
                parameters=parameters,
            )
        return self.pending[digest]

    def save(self) -> None:
        """Insert the new ones and give every pending snapshot its primary key."""
        existing = dict(
            RuleSnapshot.objects.filter(digest__in=list(self.pending)).values_list("digest", "pk")
        )
        RuleSnapshot.objects.bulk_create(
            [s for d, s in self.pending.items() if d not in existing], ignore_conflicts=True
        )
        missing = [d for d in self.pending if d not in existing]
        existing.update(RuleSnapshot.objects.filter(digest__in=missing).values_list("digest", "pk"))
        for digest, snapshot in self.pending.items():
            snapshot.pk = existing[digest]


@dataclass(frozen=True)
class UnverifiedValue:
    """A parameter value a document used that is not from the legal text, for its footnote."""

    label: str
    where: str
    value: str
    effective_from: str
    source: Source

    def __str__(self) -> str:
        return (
            f"«{self.label}» của {self.where} = {self.value} "
            f"(từ {self.effective_from}; {self.source.short})"
        )


def unverified_values(snapshots: Iterable[RuleSnapshot | None]) -> list[UnverifiedValue]:
    """The distinct unverified values used by these snapshots, in the order first met."""
    return unverified_in(s.parameters for s in snapshots if s is not None)


def unverified_in(parameter_lists: Iterable[list[dict]]) -> list[UnverifiedValue]:
    """The distinct unverified values among lists of stored parameter entries (a snapshot's,
    or a line's own: mediation keeps them on the line), in the order first met."""
    seen: dict[tuple, UnverifiedValue] = {}
    for entries in parameter_lists:
        for entry in entries:
            if source_of(entry).verified:
                continue
            key = (entry["key"], entry["jurisdiction"], entry["effective_from"])
            if key not in seen:
                seen[key] = UnverifiedValue(
                    label=parameter_label(entry["key"]),
                    where=where(entry["jurisdiction"]),
                    value=choice_name(entry["key"], entry["value"]),
                    effective_from=format_date(
                        datetime.date.fromisoformat(entry["effective_from"])
                    ),
                    source=source_of(entry),
                )
    return list(seen.values())


UNVERIFIED = "unverified"
UNVERIFIED_VALUES = "unverified_values"


def unverified_snapshots(ids: Iterable[int]) -> dict[int, RuleSnapshot]:
    """The snapshots `unverified_marks` reads, by id (one query; none when `ids` is empty).
    Only the parameter entries are read: a snapshot's trace is most of its JSON, and every
    report sent decodes a few dozen snapshots."""
    ids = set(ids)
    return RuleSnapshot.objects.only("parameters").in_bulk(ids) if ids else {}


def unverified_marks(
    snapshot_ids: Mapping[str, Iterable[int]], snapshots: Mapping[int, RuleSnapshot] | None = None
) -> dict[str, dict[str, int]]:
    """Which amounts of a summary document were computed with an unverified value, given the
    snapshots behind each amount ({field: snapshot ids}), in the shape report contents keep
    (counts, so that adding two contents adds the marks too):

    ``{"unverified": {field: 1, …}, "unverified_values": {"«label» của … (báo chí)": 1, …}}``

    Empty dictionaries when every value came from the legal text. One query, none when
    `snapshots` holds them already (`unverified_snapshots`: a year of reports reads them once).
    """
    if snapshots is None:
        snapshots = unverified_snapshots(pk for pks in snapshot_ids.values() for pk in pks)
    fields: dict[str, int] = {}
    values: dict[str, int] = {}
    for name, pks in snapshot_ids.items():
        found = unverified_values(snapshots.get(pk) for pk in sorted(pks))
        if found:
            fields[name] = 1
            for value in found:
                values[str(value)] = 1
    return {UNVERIFIED: fields, UNVERIFIED_VALUES: values}


def marked(contents: dict, field: str) -> bool:
    """Whether a report's amount `field` was computed with an unverified value."""
    return bool(contents.get(UNVERIFIED, {}).get(field))


def marked_values(contents: dict) -> list[str]:
    """The unverified values a report's amounts used, for its footnote (sorted: JSON storage
    does not keep the order)."""
    return sorted(contents.get(UNVERIFIED_VALUES, {}))
