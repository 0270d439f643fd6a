"""Approval workflows as small explicit state tables (design.md §5).

Allowance runs, quarterly insurance funding and report submissions all move through states
(draft → submitted → … → approved) by named transitions. Each transition says which states it
leaves, where it goes, which permission it needs at the object's unit and whether a comment is
required (returning a list must say why). The permission is opaque here: the app that builds a
workflow supplies `allowed(actor, unit, perm) -> bool` (teams.access.can), so this kernel knows
neither users' roles nor administrative units. `Workflow.apply` checks all that, locks the row
so two approvers cannot both act on the same state, records who did what and when, and refuses
once the object is in a locked state: approved periods change only through later adjustments.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: `allowed(actor, unit, perm)`: may this actor take a transition needing `perm` at `unit`?
#: (Any: each app passes its own user, unit and permission types.)
PermissionCheck = Callable[[Any, Any, Any], bool]
#: A label, translated now or when shown (gettext_lazy).
Label = str | Promise


class WorkflowAction(models.Model):
    """One step taken: who, when, from which state to which, with what comment."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(gettext_lazy("thời điểm"), default=timezone.now)
    from_state = models.CharField(gettext_lazy("từ trạng thái"), max_length=24)
    to_state = models.CharField(gettext_lazy("sang trạng thái"), max_length=24)
    comment = models.TextField(gettext_lazy("ý kiến"), blank=True)

    # The state choices of the workflowed object; each subclass names its own.
    states: type[models.TextChoices]

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def from_label(self) -> str:
        return self.states(self.from_state).label

    @property
    def to_label(self) -> str:
        return self.states(self.to_state).label


class WorkflowConflict(ValidationError):
    """Someone else moved the object first; the page the user acted on is out of date."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    perm: Hashable  # opaque here; the workflow's `allowed` check interprets it
    label: Label
    comment_required: bool = False


class Workflow:
    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        allowed: PermissionCheck,
        locked_states: Iterable[str],
        state_labels: Callable[[str], Label] = str,
    ):
        self.transitions = {t.name: t for t in transitions}
        self.allowed = allowed
        self.locked_states = frozenset(locked_states)
        self.state_label = state_labels

    @property
    def perms(self) -> frozenset[Hashable]:
        """The permissions its transitions need."""
        return frozenset(t.perm for t in self.transitions.values())

    def is_locked(self, state: str) -> bool:
        return state in self.locked_states

    def available(self, obj, *, actor, unit) -> list[Transition]:
        """Transitions the actor may take now (for the buttons on the page)."""
        return [
            t
            for t in self.transitions.values()
            if obj.state in t.sources and self.allowed(actor, unit, t.perm)
        ]

    def apply(
        self,
        obj: Any,  # a model instance with a `state` field
        name: str,
        *,
        actor,
        unit,
        record: Callable[..., WorkflowAction],
        comment: str = "",
        seen_state: str | None = None,
    ) -> Any:
        """Take transition `name`; `record(**fields)` creates the action row of this workflow.

        `seen_state` is the state the user saw when they pressed the button; if it differs from
        the state in the database, they acted on an out-of-date page and nothing happens.
        """
        transition = self._permitted(name, actor=actor, unit=unit, comment=comment)
        comment = comment.strip()
        with transaction.atomic():
            current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            if seen_state is not None and current.state != seen_state:
                raise WorkflowConflict(
                    _(
                        "Trạng thái đã được người khác chuyển sang «%(state)s». Tải lại trang để "
                        "xem nội dung mới nhất."
                    )
                    % {"state": self.state_label(current.state)}
                )
            self._leaves(transition, current.state)
            record(
                actor=actor, from_state=current.state, to_state=transition.target, comment=comment
            )
            current.state = transition.target
            # A model with history (a report) attributes the change to the actor, also where no
            # request's middleware does it (commands, the task worker, the demo's seed).
            current._history_user = actor
            current.save(update_fields=["state"])
        obj.state = current.state
        return obj

    def check(self, state: str, name: str, *, actor, unit, comment: str = "") -> str:
        """The state that transition `name` leads to from `state`, after the checks `apply`
        makes (permission, source state, required comment), without reading or writing the
        database: for a known sequence of steps written in bulk (the demo's year of approved
        lists), which must not take a step `apply` would refuse."""
        transition = self._permitted(name, actor=actor, unit=unit, comment=comment)
        self._leaves(transition, state)
        return transition.target

    def _permitted(self, name: str, *, actor, unit, comment: str) -> Transition:
        transition = self.transitions[name]
        if not self.allowed(actor, unit, transition.perm):
            raise PermissionDenied(
                _("Vai trò của bạn không được thực hiện «%(action)s».")
                % {"action": transition.label}
            )
        if transition.comment_required and not comment.strip():
            raise ValidationError(
                _("Cần ghi rõ lý do khi «%(action)s».") % {"action": transition.label}
            )
        return transition

    def _leaves(self, transition: Transition, state: str) -> None:
        if state not in transition.sources:
            raise ValidationError(
                _("Không thể «%(action)s» khi đang ở trạng thái «%(state)s».")
                % {"action": transition.label, "state": self.state_label(state)}
            )
