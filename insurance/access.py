"""Access to funding lists and incidents: 404 for missing or not yours, 403 with the reason when
your role may see but not do (see teams.access)."""

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, one_in_scope, require
from teams.models import User

from .models import FundingList, Incident, IncidentDocument


def access_funding_list(user: User, pk: int, perm: Perm = Perm.VIEW) -> FundingList:
    funding_list = one_in_scope(
        FundingList, user, pk, path_field="commune__path", select_related=("commune", "computed_by")
    )
    if funding_list is None:
        raise Http404(_("Không tìm thấy danh sách đề nghị hỗ trợ."))
    require(user, funding_list.commune, perm)
    return funding_list


def access_incident(user: User, pk: int, perm: Perm = Perm.VIEW) -> Incident:
    incident = one_in_scope(
        Incident,
        user,
        pk,
        path_field="commune__path",
        select_related=("commune", "membership__person", "membership__team", "snapshot"),
    )
    if incident is None:
        raise Http404(_("Không tìm thấy hồ sơ hỗ trợ."))
    require(user, incident.commune, perm)
    return incident


def access_incident_document(user: User, pk: int) -> IncidentDocument:
    document = one_in_scope(
        IncidentDocument,
        user,
        pk,
        path_field="incident__commune__path",
        select_related=("incident__commune",),
    )
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    return document
