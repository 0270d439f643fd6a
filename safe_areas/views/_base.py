"""What the pages share: which year is asked for, and the colour of a state."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from .. import selectors, services
from ..models import YearState

STATE_PILL = {
    YearState.RECOGNISED: "ok",
    YearState.NOT_RECOGNISED: "err",
    YearState.RETURNED: "err",
}


def _year(request) -> int:
    """The year asked for (?nam=2025), or the latest one whose period has ended."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return selectors.current_year()
    return year if year in selectors.years_offered() else selectors.current_year()


def _check_year(year: int) -> int:
    if year not in selectors.years_offered():
        raise Http404(_("Năm này không thuộc kế hoạch 2025–2030."))
    return year


def decision_of(d: dict) -> services.DecisionData:
    """The decision (number, date, signer) as a form's cleaned data carries it."""
    return services.DecisionData(d["decision_number"], d["decision_date"], d["decision_signer"])


def transition_step(d: dict, actor) -> dict:
    """A TransitionForm's cleaned data as the arguments of a year's transition service
    (an area's or the commune's): the action, who takes it, the comment, the state the user saw
    and the decision."""
    return {
        "action": d["action"],
        "actor": actor,
        "comment": d["comment"],
        "seen_state": d["seen_state"] or None,
        "decision": decision_of(d),
    }
