"""Finding mediation objects for a user: only inside the user's subtree (404 otherwise, the same
answer as for an id that does not exist), then the role's permission at the object's commune
(403 with the reason). Built on teams.access (scope_q, require), the one access helper.

The parties of a case are personal data: `may_see_parties` (Perm.VIEW_MEDIATION_PARTIES) is
held by the commune's justice officer and leaders and by the justice office above; others who
may view the commune (police, finance) see the case book with the parties' names hidden.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, access_background_job, can, one, one_in_scope, require, scope_q
from teams.models import AdministrativeUnit, User

from .models import (
    Accident,
    AccidentDocument,
    DocumentJob,
    MediationCase,
    MediationTeam,
    Mediator,
    PaymentList,
)


def may_see_parties(user: User, commune: AdministrativeUnit) -> bool:
    return can(user, commune, Perm.VIEW_MEDIATION_PARTIES)


def access_mediation_team(user: User, pk: int, perm: Perm = Perm.VIEW) -> MediationTeam:
    team = one_in_scope(
        MediationTeam, user, pk, path_field="commune__path", select_related=("commune", "area")
    )
    if team is None:
        raise Http404(_("Không tìm thấy Tổ hòa giải."))
    require(user, team.commune, perm)
    return team


def access_mediator(user: User, pk: int, perm: Perm = Perm.VIEW) -> Mediator:
    mediator = one_in_scope(
        Mediator,
        user,
        pk,
        path_field="team__commune__path",
        select_related=("team__commune", "team__area", "person"),
    )
    if mediator is None:
        raise Http404(_("Không tìm thấy hòa giải viên."))
    require(user, mediator.team.commune, perm)
    return mediator


def access_case(user: User, pk: int, perm: Perm = Perm.VIEW) -> MediationCase:
    case = one_in_scope(
        MediationCase,
        user,
        pk,
        path_field="team__commune__path",
        select_related=("team__commune", "team__area"),
    )
    if case is None:
        raise Http404(_("Không tìm thấy vụ việc hòa giải."))
    require(user, case.team.commune, perm)
    return case


def access_payment_list(user: User, pk: int, perm: Perm = Perm.VIEW) -> PaymentList:
    payment_list = one_in_scope(
        PaymentList, user, pk, path_field="commune__path", select_related=("commune",)
    )
    if payment_list is None:
        raise Http404(_("Không tìm thấy danh sách chi thù lao."))
    require(user, payment_list.commune, perm)
    return payment_list


def access_accident(user: User, pk: int, perm: Perm = Perm.VIEW) -> Accident:
    accident = one_in_scope(
        Accident,
        user,
        pk,
        path_field="mediator__team__commune__path",
        select_related=("mediator__team__commune", "mediator__person"),
    )
    if accident is None:
        raise Http404(_("Không tìm thấy hồ sơ hỗ trợ."))
    require(user, accident.mediator.team.commune, perm)
    return accident


def access_accident_document(user: User, pk: int) -> AccidentDocument:
    document = one(
        AccidentDocument.objects.filter(
            scope_q(
                user,
                Perm.VIEW_MEDIATION_PARTIES,
                path_field="accident__mediator__team__commune__path",
            )
        )
        .select_related("accident")
        .filter(pk=pk)
    )
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    return document


def access_document_job(user: User, pk: int) -> DocumentJob:
    return access_background_job(user, DocumentJob, pk)
