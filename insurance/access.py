"""Access to funding lists and incidents: 404 for missing or not yours, 403 with the reason when
your role may see but not do (see teams.access)."""

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, one, require, scope_q
from teams.models import User

from .models import FundingList, Incident, IncidentDocument


def access_funding_list(user: User, pk: int, perm: Perm = Perm.VIEW) -> FundingList:
    funding_list = one(
        FundingList.objects.filter(scope_q(user, path_field="commune__path"))
        .select_related("commune", "computed_by")
        .filter(pk=pk)
    )
    if funding_list is None:
        raise Http404(_("Không tìm thấy danh sách đề nghị hỗ trợ."))
    require(user, funding_list.commune, perm)
    return funding_list


def access_incident(user: User, pk: int, perm: Perm = Perm.VIEW) -> Incident:
    incident = one(
        Incident.objects.filter(scope_q(user, path_field="commune__path"))
        .select_related("commune", "membership__person", "membership__team", "snapshot")
        .filter(pk=pk)
    )
    if incident is None:
        raise Http404(_("Không tìm thấy hồ sơ hỗ trợ."))
    require(user, incident.commune, perm)
    return incident


def access_incident_document(user: User, pk: int) -> IncidentDocument:
    document = one(
        IncidentDocument.objects.filter(scope_q(user, path_field="incident__commune__path"))
        .select_related("incident__commune")
        .filter(pk=pk)
    )
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    return document
