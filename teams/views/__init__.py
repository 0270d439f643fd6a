"""Pages of the rosters, one module per topic. Thin: every view fetches its objects through an
``access_*`` helper (404 for missing or not yours, 403 with the reason for a role that may only
look), parses a form, calls one service (core.views.submit) and shows what it says.

- units.py: a unit's page (a commune's areas and teams, or a district's or province's units)
- areas.py: residential areas of a commune
- teams.py: teams, the team page
- members.py: adding a member, the person's page, a membership's edit, end and transfer
- roster.py: the filtered roster of any unit
- imports.py: Excel: the template, the export of a filtered roster, the two-step import
- _base.py: what they share

Every view is named here, so that teams/urls.py reads `views.<name>`.
"""

from .areas import area_create, area_edit
from .imports import import_preview, import_template, import_upload, roster_export
from .members import (
    member_add,
    membership_edit,
    membership_end,
    membership_transfer,
    person_detail,
    person_edit,
)
from .roster import roster
from .teams import team_create, team_detail, team_dissolve, team_edit
from .units import language_switch, unit_detail

__all__ = [
    "area_create",
    "area_edit",
    "import_preview",
    "import_template",
    "import_upload",
    "language_switch",
    "member_add",
    "membership_edit",
    "membership_end",
    "membership_transfer",
    "person_detail",
    "person_edit",
    "roster",
    "roster_export",
    "team_create",
    "team_detail",
    "team_dissolve",
    "team_edit",
    "unit_detail",
]
