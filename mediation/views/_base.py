"""What every mediation page shares: the permission that edits, the year asked for, the
unit page's context (breadcrumbs)."""

from __future__ import annotations

from teams.access import Perm
from teams.selectors import unit_page

from .. import selectors

EDIT = Perm.EDIT_MEDIATION


def _year(request) -> int:
    try:
        return int(request.GET.get("nam", ""))
    except ValueError:
        return selectors.today().year


def _page(unit, **extra):
    return {**unit_page(unit=unit), **extra}
