"""Support for a mediator hurt while mediating (Decree 15/2014, Art. 17): the file and
its documents."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.views import submit
from teams.access import can

from .. import forms, services
from ..access import access_accident, access_accident_document, access_mediator, may_see_parties
from ._base import EDIT, _page


@require_http_methods(["GET", "POST"])
def accident_create(request, pk: int):
    mediator = access_mediator(request.user, pk, EDIT)
    form = forms.AccidentForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda d: services.accident_save(
            data=services.AccidentData(
                mediator=mediator,
                occurred_on=d["occurred_on"],
                kind=d["kind"],
                description=d["description"] or "",
                treatment_costs=d["treatment_costs"] or 0,
                lost_income=d["lost_income"] or 0,
                family_support=d["family_support"] or 0,
                funeral_costs=d["funeral_costs"] or 0,
                decision_number=d["decision_number"] or "",
            ),
            actor=request.user,
        ),
        redirect_to=lambda a: reverse("mediation-accident", args=[a.pk]),
        success=_("Đã ghi hồ sơ hỗ trợ."),
    )
    return done.response or render(
        request,
        "mediation/form.html",
        _page(
            mediator.team.commune,
            team=mediator.team,
            form=done.form,
            title=_("Hỗ trợ hòa giải viên gặp tai nạn — %(name)s")
            % {"name": mediator.person.full_name},
            back=reverse("mediation-mediator", args=[mediator.pk]),
            intro=_(
                "Nghị định 15/2014/NĐ-CP, Điều 17: hòa giải viên bị tai nạn hoặc rủi ro ảnh hưởng đến sức "
                "khỏe, tính mạng trong khi thực hiện hoạt động hòa giải được hỗ trợ chi phí cứu chữa, "
                "điều trị và thu nhập thực tế bị mất; chết thì gia đình được trợ cấp một lần và chi phí mai táng."
            ),
        ),
    )


@require_http_methods(["GET", "POST"])
def accident_detail(request, pk: int):
    accident = access_accident(request.user, pk)
    commune = accident.mediator.team.commune
    if request.method == "POST":
        accident = access_accident(request.user, pk, EDIT)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    done = submit(
        request,
        form,
        lambda d: services.accident_document_add(
            accident=accident, title=d["title"] or "", file=d["file"], actor=request.user
        ),
        redirect_to=reverse("mediation-accident", args=[pk]),
        success=_("Đã đính kèm giấy tờ."),
    )
    return done.response or render(
        request,
        "mediation/accident_detail.html",
        _page(
            commune,
            team=accident.mediator.team,
            accident=accident,
            form=done.form,
            documents=accident.documents.all(),
            show_parties=may_see_parties(request.user, commune),
            can_edit=can(request.user, commune, EDIT),
        ),
    )


@require_safe
def accident_document(request, pk: int):
    document = access_accident_document(request.user, pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=(document.file.name or "giay-to").rsplit("/", 1)[-1],
    )
