from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import scope_q
from teams.models import User

from .models import DocumentJob, TrainingCourse


def access_course(user: User, pk: int) -> TrainingCourse:
    course = (
        TrainingCourse.objects.filter(scope_q(user, path_field="commune__path"))
        .select_related("commune")
        .filter(pk=pk)
        .first()
    )
    if course is None:
        raise Http404(_("Không tìm thấy lớp huấn luyện."))
    return course


def access_job(user: User, pk: int) -> DocumentJob:
    """A background document is its requester's (and only while they still see the unit)."""
    job = (
        DocumentJob.objects.filter(scope_q(user, path_field="unit__path"), requested_by=user)
        .select_related("unit")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    return job
