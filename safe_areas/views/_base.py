"""What the pages share: which year is asked for, and the colour of a state."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from .. import selectors
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
