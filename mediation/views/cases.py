"""The case book of a mediation team: cases received, their outcome, a replaced mediator,
the book as PDF and Excel and its import from Excel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import Letterhead, Signature, pdf_response, place_name, render_pdf
from core.exporters import xlsx_response
from core.views import Errors, submit
from teams.access import can
from teams.roster_io.reader import ImportFileError

from .. import book_io, forms, selectors, services
from ..access import access_case, access_mediation_team, may_see_parties
from ..models import Outcome
from ._base import EDIT, _page, _year


def _case_data(d) -> services.CaseData:
    return services.CaseData(
        received_on=d["received_on"],
        origin=d["origin"],
        parties=d["parties"] or "",
        case_type=d["case_type"],
        content=d["content"] or "",
        mediators=list(d["mediators"] or []),
        out_of_scope=d["out_of_scope"],
        out_of_scope_reason=d["out_of_scope_reason"] or "",
        assigned_on=d["assigned_on"],
        started_on=d["started_on"],
        outcome=d["outcome"] or Outcome.OPEN,
        agreement=d["agreement"] or "",
        closed_on=d["closed_on"],
        note=d["note"] or "",
    )


@require_http_methods(["GET", "POST"])
def case_create(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    mediators = team.mediators.filter(ended_on__isnull=True).select_related("person")
    form = forms.CaseForm(
        request.POST or None,
        mediators=mediators,
        initial={"outcome": Outcome.OPEN, "received_on": selectors.today()},
    )
    done = submit(
        request,
        form,
        lambda d: services.case_save(team=team, data=_case_data(d), actor=request.user),
        redirect_to=lambda case: reverse("mediation-case", args=[case.pk]),
        success=_("Đã ghi vụ việc vào sổ theo dõi."),
    )
    return done.response or render(
        request,
        "mediation/case_form.html",
        _page(
            team.commune,
            team=team,
            form=done.form,
            title=_("Ghi vụ việc mới — %(team)s") % {"team": team.name},
        ),
    )


@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    case = access_case(request.user, pk)
    team = case.team
    show = may_see_parties(request.user, team.commune)
    editable = can(request.user, team.commune, EDIT)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("Chỉ công chức tư pháp - hộ tịch của xã được sửa sổ theo dõi."))
    mediators = team.mediators.select_related("person")
    initial = {f: getattr(case, f) for f in forms.CaseForm.base_fields if f != "mediators"}
    initial["mediators"] = [a.mediator_id for a in case.assignments.all()]
    form = forms.CaseForm(request.POST or None, mediators=mediators, initial=initial)
    done = submit(
        request,
        form,
        lambda d: services.case_save(team=team, data=_case_data(d), actor=request.user, case=case),
        redirect_to=reverse("mediation-case", args=[case.pk]),
        success=_("Đã lưu vụ việc."),
    )
    if done.response:
        return done.response
    return render(
        request,
        "mediation/case_form.html",
        _page(
            team.commune,
            team=team,
            case=case,
            form=done.form if (editable and show) else None,
            show_parties=show,
            flags=selectors.case_flags(case),
            assignments=case.assignments.select_related("mediator__person"),
            title=_("Vụ việc số %(n)s — %(team)s") % {"n": case.number, "team": team.name},
        ),
    )


@require_POST
def case_replace(request, pk: int):
    case = access_case(request.user, pk, EDIT)
    form = forms.ReplaceForm(request.POST)

    def save(d):
        mediator = case.team.mediators.filter(pk=d["mediator"] or 0).first()
        if mediator is None:
            raise ValidationError(_("Chọn hòa giải viên của Tổ cần thay."))
        return services.mediator_replace(
            case=case, mediator=mediator, reason=d["reason"] or "", actor=request.user
        )

    submit(
        request,
        form,
        save,
        redirect_to="",
        errors=Errors.MESSAGES,
        success=_("Đã ghi việc thay hòa giải viên."),
    )
    return redirect("mediation-case", case.pk)


@require_safe
def book_pdf(request, pk: int):
    team = access_mediation_team(request.user, pk)
    show = may_see_parties(request.user, team.commune)
    year = _year(request)
    cases = selectors.cases_of(team=team).filter(received_on__year=year)
    commune = team.commune
    content = render_pdf(
        "pdf/mediation/book.html",
        {
            "letterhead": Letterhead(
                issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
                place=place_name(commune.name),
                date=selectors.today(),
                title="SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ",
                subject=f"{team.name} — năm {year}",
            ),
            "signatures": [Signature("TỔ TRƯỞNG TỔ HÒA GIẢI")],
            "rows": book_io.book_rows_for_pdf(cases, show_parties=show),
            "team": team,
            "year": year,
            "landscape": True,
        },
    )
    return pdf_response(content, f"So theo doi hoa giai {team.name} {year}")


@require_safe
def book_xlsx(request, pk: int):
    team = access_mediation_team(request.user, pk)
    exporter = book_io.BookExporter(
        team,
        selectors.cases_of(team=team),
        show_parties=may_see_parties(request.user, team.commune),
    )
    return xlsx_response(exporter, f"So hoa giai {team.name}")


@require_http_methods(["GET", "POST"])
def book_import(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is None:
            form.add_error("file", _("Chọn tệp Excel cần nhập."))
        else:
            try:
                result = book_io.import_book(team=team, content=upload.read(), actor=request.user)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if not result.errors:
                    messages.success(
                        request,
                        _("Đã nhập %(c)s vụ việc mới, cập nhật %(u)s vụ việc.")
                        % {"c": result.created, "u": result.updated},
                    )
                    return redirect("mediation-team", team.pk)
    return render(
        request,
        "mediation/import.html",
        _page(
            team.commune,
            team=team,
            form=form,
            result=result,
            title=_("Nhập sổ theo dõi từ Excel — %(team)s") % {"team": team.name},
        ),
    )
