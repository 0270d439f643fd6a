"""Who gets which reporting object (404 when not theirs) and who may review or reopen."""

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, access_background_job, can, one_in_scope, user_assignments
from teams.models import AdministrativeUnit, Level, Role, User

from .models import DocumentJob, TrainingCourse


def access_course(user: User, pk: int) -> TrainingCourse:
    course = one_in_scope(
        TrainingCourse, user, pk, path_field="commune__path", select_related=("commune",)
    )
    if course is None:
        raise Http404(_("Không tìm thấy lớp huấn luyện."))
    return course


def access_job(user: User, pk: int) -> DocumentJob:
    return access_background_job(user, DocumentJob, pk)


def reviews(actor: User, unit: AdministrativeUnit) -> bool:
    """Reviewing is for the level above: a district's police do not accept their own report."""
    return unit.parent is not None and can(actor, unit.parent, Perm.CONSOLIDATE_REPORTS)


def can_grant_exception(user: User, unit: AdministrativeUnit) -> bool:
    """Entry after the deadline is reopened by the provincial police (at province level,
    above the unit) for communes and districts; the province's own report is reopened by a
    system administrator only: nobody lifts their own deadline."""
    if unit.level == Level.PROVINCE:
        return user.is_superuser
    provincial = user.is_superuser or any(
        a.role == Role.PROVINCIAL_POLICE
        and a.unit.level == Level.PROVINCE
        and unit.path.startswith(a.unit.path)
        for a in user_assignments(user)
    )
    return provincial and can(user, unit, Perm.GRANT_LOCK_EXCEPTION)


def who_reopens(unit: AdministrativeUnit) -> str:
    """Who `can_grant_exception` lets reopen this unit's entry, as a message names them:
    "Công an Tỉnh Phú Thọ" for its communes and districts, an administrator for the province
    itself (one query)."""
    if unit.level == Level.PROVINCE:
        return _("quản trị viên hệ thống")
    province = (
        AdministrativeUnit.objects.filter(path__in=unit.ancestor_paths, level=Level.PROVINCE)
        .only("name")
        .first()
    )
    return (
        _("Công an %(province)s") % {"province": province.name} if province else _("Công an tỉnh")
    )
