"""The work inbox ("Việc cần làm"): what waits for a user, gathered from every app.

Each app that has work for people says so in its own ``inbox.py`` module, with a function
decorated by :func:`provider`; ``work_for`` imports those modules once (Django's
``autodiscover_modules``, the same mechanism as ``admin.py``) and asks each provider for the
items of one user. So a new app adds its work by adding one module, and neither this kernel nor
the home page knows the apps by name.

A provider must cost a fixed number of queries whatever the number of the user's units (it
filters with the user's scope in one query per kind of object, never per unit): the home page,
the header badge and the reminder e-mails all call ``work_for``, so they never disagree.

Most work is "a workflowed object in a state where one of its transitions is yours";
:func:`waiting_transitions` answers that from a workflow's own transition table, so the inbox
cannot drift from what the buttons on the object's page offer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .workflow import Transition, Workflow

Label = str | Promise


@dataclass(frozen=True)
class WorkItem:
    """One thing that waits for the user."""

    unit_name: str  # the unit the work belongs to (commune, district, province)
    title: Label  # what the object is: "Bảng phụ cấp tháng 11/2026"
    action: Label  # what the user is to do: "Phê duyệt", "Gửi báo cáo"
    url: str  # the page where it is done
    due: datetime.date | None = None  # the day it is due, when there is one
    since: datetime.date | None = None  # since when it waits (orders items without a due day)
    note: Label = ""  # e.g. the reason a returned list was sent back
    late: bool = False
    group: Label = ""  # the app's heading on the page: "Phụ cấp", "Bảo hiểm", "Báo cáo"

    @property
    def sort_key(self) -> tuple:
        # Oldest first: by due day, then by waiting since; items with neither come last.
        day = self.due or self.since or datetime.date.max
        return (day, str(self.unit_name), str(self.title))


#: provider(actor, today) -> the actor's items of one app
Provider = Callable[[Any, datetime.date], Iterable[WorkItem]]

_PROVIDERS: list[Provider] = []
_discovered = False


def provider(function: Provider) -> Provider:
    """Register an app's inbox provider (used as a decorator in ``<app>/inbox.py``)."""
    if function not in _PROVIDERS:
        _PROVIDERS.append(function)
    return function


def providers() -> list[Provider]:
    global _discovered
    if not _discovered:
        autodiscover_modules("inbox")
        _discovered = True
    return list(_PROVIDERS)


@dataclass
class Inbox:
    items: list[WorkItem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def late(self) -> int:
        return sum(1 for item in self.items if item.late)

    def groups(self) -> list[tuple[Label, list[WorkItem]]]:
        """Items by app heading, each group oldest first, groups in order of their oldest item."""
        by_group: dict[str, tuple[Label, list[WorkItem]]] = {}
        for item in self.items:
            by_group.setdefault(str(item.group), (item.group, []))[1].append(item)
        return list(by_group.values())


def work_for(actor, today: datetime.date) -> Inbox:
    """Everything that waits for `actor` today, oldest first."""
    if not actor.is_authenticated:
        return Inbox()
    items = [item for function in providers() for item in function(actor, today)]
    return Inbox(sorted(items, key=lambda item: item.sort_key))


def waiting_transitions(
    flow: Workflow,
    objects: QuerySet,
    *,
    actor,
    unit_of: Callable[[Any], Any],
    scope: Callable[[Any], Q],
) -> Iterator[tuple[Any, list[Transition]]]:
    """The objects on which `actor` may take a transition now, with those transitions.

    `scope(perm)` is the filter of the objects under the units where the actor's role has
    `perm` (the app passes teams.access.work_scope_q): one query selects, for every permission
    the workflow uses, the objects in a state that a transition needing it leaves. The final
    check is the workflow's own (`Workflow.available`), so the inbox lists exactly what the
    buttons on the object's page offer.
    """
    q = Q(pk__in=[])
    for perm in {t.perm for t in flow.transitions.values()}:
        q |= scope(perm) & Q(state__in=sorted(source_states(flow, perm)))
    for obj in objects.filter(q):
        transitions = flow.available(obj, actor=actor, unit=unit_of(obj))
        if transitions:
            yield obj, transitions


def source_states(flow: Workflow, perm) -> set[str]:
    """The states that a transition needing `perm` leaves."""
    return {state for t in flow.transitions.values() if t.perm == perm for state in t.sources}


def action_label(transitions: Iterable[Transition]) -> str:
    """The buttons the user will find, as one line, the step forward before a return (which
    needs a reason): "Phê duyệt / Trả lại"."""
    return " / ".join(str(t.label) for t in sorted(transitions, key=lambda t: t.comment_required))


def with_last_step(objects: QuerySet) -> QuerySet:
    """Annotate each workflowed object with when its latest step was taken (`waiting_since`)
    and that step's comment (`last_comment`, the reason of a return), in the same query.
    The object's action rows are its reverse relation named ``actions`` (core.workflow)."""
    relation = objects.model._meta.get_field("actions")
    latest = relation.related_model.objects.filter(
        **{relation.field.name: OuterRef("pk")}
    ).order_by("-at", "-pk")
    return objects.annotate(
        waiting_since=Subquery(latest.values("at")[:1]),
        last_comment=Subquery(latest.values("comment")[:1]),
    )


def returned_note(obj, returned_state: str, otherwise: Label = "") -> Label:
    """ "Bị trả lại: <reason>" for an object sent back, `otherwise` for any other state.

    The reason is the comment of the object's last step (`last_comment`, from
    :func:`with_last_step`), so every inbox words a return the same way.
    """
    if obj.state == returned_state:
        return _("Bị trả lại: %(reason)s") % {"reason": obj.last_comment}
    return otherwise


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None
