"""Access to allowance runs and duty entries: 404 for missing or not yours, 403 with the reason
when your role may see but not do (see teams.access)."""

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, one_in_scope, require
from teams.models import User

from .models import AllowanceRun, DutyEntry


def access_run(user: User, pk: int, perm: Perm = Perm.VIEW) -> AllowanceRun:
    run = one_in_scope(
        AllowanceRun,
        user,
        pk,
        path_field="commune__path",
        select_related=("commune", "computed_by"),
    )
    if run is None:
        raise Http404(_("Không tìm thấy kỳ chi trả."))
    require(user, run.commune, perm)
    return run


def access_duty_entry(user: User, pk: int, perm: Perm = Perm.VIEW) -> DutyEntry:
    entry = one_in_scope(
        DutyEntry,
        user,
        pk,
        path_field="membership__team__commune__path",
        select_related=("membership__team__commune", "membership__person"),
    )
    if entry is None:
        raise Http404(_("Không tìm thấy ngày làm nhiệm vụ."))
    require(user, entry.membership.team.commune, perm)
    return entry
