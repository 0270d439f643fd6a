"""Pages of grassroots mediation. Thin: objects through mediation.access (404 for another
unit's ids), POSTs through core.views.submit into mediation.services, reads from selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import (
    Letterhead,
    Signature,
    html_to_pdf,
    pdf_response,
    place_name,
    render_pdf,
)
from core.exporters import Exporter, xlsx_response
from core.formatting import amount_in_words
from core.job_views import JobUrls, job_views
from core.periods import Quarter
from core.views import Errors, submit
from teams.access import Perm, access_commune, access_unit, can
from teams.models import Level
from teams.roster_io.reader import ImportFileError
from teams.selectors import unit_page

from . import book_io, documents, forms, jobs, selectors, services
from .access import (
    access_accident,
    access_accident_document,
    access_case,
    access_document_job,
    access_mediation_team,
    access_mediator,
    access_payment_list,
    may_see_parties,
)
from .models import DocumentJob, Outcome, PaymentList

EDIT = Perm.EDIT_MEDIATION


def _year(request) -> int:
    try:
        return int(request.GET.get("nam", ""))
    except ValueError:
        return selectors.today().year


def _page(unit, **extra):
    return {**unit_page(unit=unit), **extra}


# --- Unit page: teams (commune) or consolidation (above) --------------------------------------


@require_safe
def home(request, pk: int):
    unit = access_unit(request.user, pk)
    year = _year(request)
    window = selectors.year_window(year)
    context = _page(
        unit,
        year=year,
        years=range(selectors.today().year, 2020, -1),
        ind=selectors.indicators(unit=unit, window=window, year=year),
        can_edit=can(request.user, unit, EDIT),
    )
    if unit.level == Level.COMMUNE:
        context["rows"] = selectors.team_rows(commune=unit, year=year)
    else:
        context["children"] = selectors.children_rows(unit=unit, year=year)
    return render(request, "mediation/home.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request, pk: int):
    commune = access_commune(request.user, pk, EDIT)
    form = forms.TeamForm(request.POST or None, areas=commune.residential_areas.order_by("name"))
    done = submit(
        request,
        form,
        lambda d: services.team_save(
            commune=commune,
            data=services.TeamData(
                area=d["area"],
                name=d["name"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
                minority_area=d["minority_area"],
            ),
            actor=request.user,
        ),
        redirect_to=lambda team: reverse("mediation-team", args=[team.pk]),
        success=_("Đã thêm Tổ hòa giải."),
    )
    if done.response:
        return done.response
    if request.method == "POST" and not form.cleaned_data.get("area"):
        form.add_error("area", _("Chọn khu dân cư của Tổ hòa giải."))
    return render(
        request,
        "mediation/form.html",
        _page(
            commune,
            form=done.form,
            title=_("Thêm Tổ hòa giải"),
            back=reverse("mediation-home", args=[commune.pk]),
        ),
    )


@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    """Correct a team's record: its name, its founding decision (number, date), its area."""
    team = access_mediation_team(request.user, pk, EDIT)
    commune = team.commune
    form = forms.TeamForm(
        request.POST or None,
        areas=commune.residential_areas.order_by("name"),
        initial={
            "area": team.area_id,
            "name": team.name,
            "decision_number": team.decision_number,
            "decision_date": team.decision_date,
            "minority_area": team.minority_area,
        },
    )

    def save(d):
        if d["area"] is None:
            raise ValidationError({"area": _("Chọn khu dân cư của Tổ hòa giải.")})
        return services.team_save(
            commune=commune,
            data=services.TeamData(
                area=d["area"],
                name=d["name"] or "",
                decision_number=d["decision_number"] or "",
                decision_date=d["decision_date"],
                minority_area=d["minority_area"],
            ),
            actor=request.user,
            team=team,
        )

    done = submit(
        request,
        form,
        save,
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=_("Đã lưu thông tin Tổ hòa giải."),
    )
    return done.response or render(
        request,
        "mediation/form.html",
        _page(
            commune,
            team=team,
            form=done.form,
            title=_("Sửa thông tin — %(team)s") % {"team": team.name},
            back=reverse("mediation-team", args=[team.pk]),
        ),
    )


@require_safe
def team_detail(request, pk: int):
    team = access_mediation_team(request.user, pk)
    year = _year(request)
    mediators = selectors.team_mediators(team=team)
    active = team.mediators.filter(ended_on__isnull=True).select_related("person")
    [row] = [
        r for r in selectors.team_rows(commune=team.commune, year=year) if r.team.pk == team.pk
    ]
    return render(
        request,
        "mediation/team_detail.html",
        _page(
            team.commune,
            team=team,
            row=row,
            year=year,
            mediators=mediators,
            elections=selectors.team_elections(team=team),
            consolidations=team.consolidations.all(),
            cases=selectors.cases_of(team=team).order_by("-number")[:200],
            show_parties=may_see_parties(request.user, team.commune),
            can_edit=can(request.user, team.commune, EDIT),
            election_form=forms.ElectionForm(mediators=active),
            consolidation_form=forms.ConsolidationForm(initial={"year": year}),
        ),
    )


@require_http_methods(["GET", "POST"])
def mediator_add(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.MediatorForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda d: services.mediator_add(
            team=team,
            data=services.MediatorData(
                person=form.person_data(),
                list_received_on=d["list_received_on"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
            ),
            actor=request.user,
        ),
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=_("Đã thêm hòa giải viên."),
    )
    return done.response or render(
        request,
        "mediation/mediator_form.html",
        _page(
            team.commune,
            team=team,
            form=done.form,
            title=_("Thêm hòa giải viên — %(team)s") % {"team": team.name},
        ),
    )


def _team_post(request, team, form, save, success):
    done = submit(
        request,
        form,
        save,
        redirect_to=reverse("mediation-team", args=[team.pk]),
        success=success,
        errors=Errors.MESSAGES,
        error_redirect=reverse("mediation-team", args=[team.pk]),
    )
    if done.response:
        return done.response
    for name, errs in done.form.errors.items():
        for e in errs:
            messages.error(
                request, f"{done.form.fields[name].label}: {e}" if name in done.form.fields else e
            )
    return redirect("mediation-team", team.pk)


@require_POST
def election(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.ElectionForm(request.POST, mediators=team.mediators.filter(ended_on__isnull=True))

    def save(d):
        if d["mediator"] is None:
            raise ValidationError(_("Chọn hòa giải viên được bầu."))
        return services.leader_elect(
            team=team,
            data=services.ElectionData(
                mediator=d["mediator"],
                held_on=d["held_on"],
                votes=d["votes"],
                is_party_secretary=d["is_party_secretary"],
                decision_number=d["decision_number"] or "",
                decision_date=d["decision_date"],
            ),
            actor=request.user,
        )

    return _team_post(request, team, form, save, _("Đã ghi kết quả bầu Tổ trưởng."))


@require_POST
def consolidation(request, pk: int):
    team = access_mediation_team(request.user, pk, EDIT)
    form = forms.ConsolidationForm(request.POST)

    def save(d):
        return services.consolidation_save(
            team=team,
            year=d["year"] or selectors.today().year,
            reviewed_on=d["reviewed_on"],
            proposed_changes=d["proposed_changes"] or "",
            decision_number=d["decision_number"] or "",
            decision_date=d["decision_date"],
            actor=request.user,
        )

    return _team_post(request, team, form, save, _("Đã ghi việc củng cố, kiện toàn."))


@require_http_methods(["GET", "POST"])
def mediator_end(request, pk: int):
    """End a mediator's service from a date, with the reason (Law Art. 11)."""
    mediator = access_mediator(request.user, pk, EDIT)
    form = forms.MediatorEndForm(request.POST or None, initial={"ended_on": selectors.today()})
    done = submit(
        request,
        form,
        lambda d: services.mediator_end(
            mediator=mediator,
            on=d["ended_on"],
            reason=d["end_reason"] or "",
            actor=request.user,
        ),
        redirect_to=reverse("mediation-team", args=[mediator.team.pk]),
        success=_("Đã ghi việc thôi làm hòa giải viên của %(name)s.")
        % {"name": mediator.person.full_name},
        errors=Errors.ON_FORM,
    )
    return done.response or render(
        request,
        "mediation/form.html",
        _page(
            mediator.team.commune,
            team=mediator.team,
            form=done.form,
            title=_("Thôi làm hòa giải viên — %(name)s") % {"name": mediator.person.full_name},
            back=reverse("mediation-mediator", args=[mediator.pk]),
            intro=_(
                "Luật Hòa giải ở cơ sở, Điều 11: Chủ tịch UBND cấp xã quyết định thôi làm hòa giải "
                "viên. Hòa giải viên đang được phân công vụ việc chưa kết thúc cần được thay ở vụ "
                "việc đó trước (Điều 18)."
            ),
        ),
    )


@require_safe
def mediator_detail(request, pk: int):
    mediator = access_mediator(request.user, pk)
    [row] = [m for m in selectors.team_mediators(team=mediator.team) if m.pk == mediator.pk]
    return render(
        request,
        "mediation/mediator_detail.html",
        _page(
            mediator.team.commune,
            team=mediator.team,
            mediator=row,
            roles=selectors.person_mediator_roles(person=mediator.person),
            accidents=mediator.accidents.all(),
            can_edit=can(request.user, mediator.team.commune, EDIT),
        ),
    )


# --- The case book ----------------------------------------------------------------------------


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


# --- Remuneration -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def payments(request, pk: int):
    commune = access_commune(request.user, pk)
    if request.method == "POST":
        commune = access_commune(request.user, pk, EDIT)
    form = forms.PayComputeForm(request.POST or None)

    def save(d):
        if d["quarter"] is None:
            raise ValidationError(_("Nhập một ngày trong quý cần lập danh sách (dd/mm/yyyy)."))
        return services.payment_list_compute(
            commune=commune, quarter=d["quarter"], actor=request.user
        )

    done = submit(
        request,
        form,
        save,
        redirect_to=lambda pl: reverse("mediation-payment", args=[pl.pk]),
        success=_("Đã tính danh sách chi thù lao."),
        errors=Errors.TOP_OF_FORM,
    )
    if done.response:
        return done.response
    lists = PaymentList.objects.filter(commune=commune).order_by("-quarter")
    return render(
        request,
        "mediation/payments.html",
        _page(
            commune,
            form=done.form,
            lists=selectors.payment_lists(lists),
            can_edit=can(request.user, commune, EDIT),
        ),
    )


@require_http_methods(["GET", "POST"])
def payment_detail(request, pk: int):
    payment_list = access_payment_list(request.user, pk)
    form = forms.TransitionForm(request.POST or None)

    def save(d):
        return services.payment_list_transition(
            payment_list=payment_list,
            action=d["action"] or "",
            actor=request.user,
            comment=d["comment"] or "",
            seen_state=d["seen_state"] or None,
            payment_reference=d["payment_reference"] or "",
            paid_on=d["paid_on"],
        )

    done = submit(
        request,
        form,
        save,
        redirect_to=reverse("mediation-payment", args=[pk]),
        success=_("Đã cập nhật danh sách."),
        errors=Errors.TOP_OF_FORM,
    )
    if done.response:
        return done.response
    return render(
        request,
        "mediation/payment_detail.html",
        _page(
            payment_list.commune,
            payment_list=payment_list,
            form=done.form,
            sheet=selectors.payment_sheet(payment_list=payment_list),
            transitions=services.PAY_FLOW.available(
                payment_list, actor=request.user, unit=payment_list.commune
            ),
            actions=payment_list.actions.select_related("actor"),
        ),
    )


def _payment_context(payment_list: PaymentList) -> dict:
    commune = payment_list.commune
    q = Quarter.of(payment_list.quarter)
    sheet = selectors.payment_sheet(payment_list=payment_list)
    return {
        "sheet": sheet,
        "payment_list": payment_list,
        "draft": not payment_list.is_settled,
        "landscape": True,
        "total_in_words": amount_in_words(sheet["total"]),
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
            place=place_name(commune.name),
            date=selectors.today(),
            title="DANH SÁCH",
            subject=f"Chi thù lao cho hòa giải viên theo vụ, việc {q.in_sentence}",
            number="       /DS-UBND",
        ),
        "signatures": [
            Signature("NGƯỜI LẬP BIỂU"),
            Signature("KẾ TOÁN"),
            Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
        ],
    }


@require_safe
def payment_pdf(request, pk: int):
    payment_list = access_payment_list(request.user, pk)
    content = render_pdf("pdf/mediation/payment_list.html", _payment_context(payment_list))
    return pdf_response(
        content, f"Thu lao hoa giai {payment_list.commune.name} {payment_list.quarter:%m-%Y}"
    )


class PaymentExporter(Exporter):
    identifier = "thu-lao-hoa-giai"
    verbose_name = "Thù lao hòa giải"
    widths = (6, 30, 8, 13, 18, 34, 14, 50)

    def __init__(self, sheet):
        self.sheet = sheet

    def rows(self):
        yield [
            "STT",
            "Tổ hòa giải",
            "Số vụ việc",
            "Ngày kết thúc",
            "Kết quả",
            "Hòa giải viên",
            "Số tiền (đồng)",
            "Căn cứ",
        ]
        for i, line in enumerate(self.sheet["lines"], start=1):
            yield [
                i,
                line.team_name,
                line.case_number,
                line.closed_on,
                line.get_outcome_display(),
                line.mediators,
                line.amount,
                line.error or "; ".join(t["citation"] for t in line.trace if t.get("citation")),
            ]


@require_safe
def payment_xlsx(request, pk: int):
    payment_list = access_payment_list(request.user, pk)
    sheet = selectors.payment_sheet(payment_list=payment_list)
    return xlsx_response(
        PaymentExporter(sheet),
        f"Thu lao hoa giai {payment_list.commune.name} {payment_list.quarter:%m-%Y}",
    )


# --- Accident support -------------------------------------------------------------------------


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


# --- Reports and statistics -------------------------------------------------------------------


def _report_year(year: int) -> int:
    if not 2014 <= year <= selectors.today().year + 1:
        raise Http404(_("Không có báo cáo của năm này."))
    return year


@require_http_methods(["GET", "POST"])
def report(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    year = _report_year(year)
    report = (
        services.report_get(unit=unit, year=year)
        if request.method == "POST"
        else (unit.mediation_reports.filter(year=year).first())
    )
    contents = selectors.report_contents(unit=unit, year=year, report=report)
    form = forms.ReportForm(
        request.POST or None,
        budget_rows=contents["budget"],
        initial={"summary": report.summary if report else ""},
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        needed = {"save": EDIT, "send": EDIT}.get(action, Perm.RECEIVE_MEDIATION_REPORTS)
        if not can(request.user, unit, needed):
            raise PermissionDenied(_("Vai trò của bạn không được thực hiện thao tác này."))

        assert report is not None  # made above for a POST

        def save(d):
            if action in ("save", "send"):
                services.report_save(
                    report=report,
                    summary=d["summary"] or "",
                    spent=form.spent(),
                    actor=request.user,
                )
            if action != "save":
                services.report_transition(
                    report=report,
                    action=action,
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    seen_state=request.POST.get("seen_state") or None,
                )
            return report

        done = submit(
            request,
            form,
            save,
            redirect_to=reverse("mediation-report", args=[pk, year]),
            success=_("Đã lưu báo cáo."),
            errors=Errors.TOP_OF_FORM,
        )
        if done.response:
            return done.response
        form = done.form
    transitions = (
        services.REPORT_FLOW.available(report, actor=request.user, unit=unit) if report else []
    )
    return render(
        request,
        "mediation/report.html",
        _page(
            unit,
            year=year,
            report=report,
            contents=contents,
            form=form,
            can_edit=can(request.user, unit, EDIT)
            and not (report and services.REPORT_FLOW.is_locked(report.state)),
            transitions=[t for t in transitions if t.name != "send"],
            children=selectors.children_rows(unit=unit, year=year)
            if unit.level != Level.COMMUNE
            else [],
            actions=report.actions.select_related("actor") if report else [],
        ),
    )


def _pdf(request, unit, document: str, year: int, kind: str = ""):
    """Above one commune the document is made in the background (issue 16 §2: a province's
    report lays out a row per commune) and served again while its data are unchanged; a
    commune's is made here."""
    if unit.level != Level.COMMUNE:
        job = jobs.start(user=request.user, unit=unit, document=document, year=year, kind=kind)
        return redirect("mediation-document-job", pk=job.pk)
    made = documents.make(unit=unit, document=document, year=year, kind=kind)
    return pdf_response(html_to_pdf(made.html), made.filename)


@require_safe
def report_pdf(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    return _pdf(request, unit, DocumentJob.Document.REPORT, _report_year(year))


class ReportExporter(Exporter):
    identifier = "bao-cao-hoa-giai"
    verbose_name = "Báo cáo hòa giải"
    widths = (44, 14, 14, 14, 22, 12)

    def __init__(self, context):
        self.context = context
        self.title_lines = (context["letterhead"].subject, context["unit"].name)

    def rows(self):
        ind = self.context["contents"]["indicators"]
        yield ["Chỉ tiêu", "Đạt", "Trên tổng số", "Tỷ lệ", "Chỉ tiêu kế hoạch", "Đạt chỉ tiêu"]
        for i in ind.rows:
            yield [
                i.label,
                i.numerator,
                i.denominator,
                i.percent,
                i.target_text,
                "" if i.met is None else ("Đạt" if i.met else "Chưa đạt"),
            ]
        yield ["Vụ việc tiếp nhận", ind.received, "", "", "", ""]
        yield ["Hòa giải thành", ind.success_cases, "", "", "", ""]
        yield ["Hòa giải không thành", ind.failure_cases, "", "", "", ""]
        yield ["Đang giải quyết (không tính vào tỷ lệ)", ind.open_cases, "", "", "", ""]
        yield ["Tổ chưa đủ thành phần (Luật Điều 12)", ind.below_composition, "", "", "", ""]
        for row in self.context["contents"]["budget"]:
            yield [
                f"Kinh phí: {row['label']}",
                row["planned"],
                row["spent"] if row["spent"] is not None else "",
                "",
                "dự toán / đã chi",
                "",
            ]
        for child in self.context["children"]:
            r = child["report"]
            state = (
                "Chưa gửi" if r is None or not r.sent_on else ("Gửi muộn" if r.late else "Đúng hạn")
            )
            yield [
                child["unit"].name,
                child["indicators"].success_cases,
                child["indicators"].success.denominator,
                child["indicators"].success.percent,
                state,
                "",
            ]


@require_safe
def report_xlsx(request, pk: int, year: int):
    unit = access_unit(request.user, pk)
    return xlsx_response(
        ReportExporter(documents.report_context(unit, _report_year(year))),
        f"Bao cao hoa giai {unit.name} {year}",
    )


@require_safe
def statistics(request, pk: int):
    unit = access_unit(request.user, pk)
    kind = request.GET.get("ky", "nam")
    try:
        period = selectors.stat_period(kind, _report_year(_year(request)))
    except KeyError:
        raise Http404(_("Không có kỳ thống kê này.")) from None
    if request.GET.get("xuat") == "pdf":
        return _pdf(request, unit, DocumentJob.Document.STATISTICS, period.year, kind)
    stats = selectors.statistics(unit=unit, period=period)
    if request.GET.get("xuat") == "xlsx":
        return xlsx_response(
            StatisticsExporter(unit, stats), f"Thong ke hoa giai {unit.name} {period.label}"
        )
    return render(
        request,
        "mediation/statistics.html",
        _page(
            unit,
            stats=stats,
            period=period,
            kind=kind,
            years=range(selectors.today().year, 2020, -1),
        ),
    )


class StatisticsExporter(Exporter):
    identifier = "thong-ke-hoa-giai"
    verbose_name = "Thống kê hòa giải"
    widths = (40, 12, 12, 12, 12)

    def __init__(self, unit, stats):
        self.stats = stats
        p = stats["period"]
        self.title_lines = (
            f"THỐNG KÊ HÒA GIẢI Ở CƠ SỞ — {p.label.upper()}",
            unit.name,
            f"Số liệu từ {p.data_window.start:%d/%m/%Y} đến {p.data_window.end:%d/%m/%Y}",
        )

    def rows(self):
        ind = self.stats["indicators"]
        yield ["Loại vụ việc", "Tiếp nhận", "Thành", "Không thành", "Đang giải quyết"]
        for t in self.stats["types"]:
            yield [t["label"], t["received"], t["success"], t["failure"], t["open"]]
        yield ["Tổng cộng", ind.received, ind.success_cases, ind.failure_cases, ind.open_cases]
        yield ["", "", "", "", ""]
        yield ["Căn cứ tiến hành", "Số vụ việc", "", "", ""]
        for o in self.stats["origins"]:
            yield [o["label"], o["n"], "", "", ""]
        yield ["", "", "", "", ""]
        yield ["Chỉ tiêu", "Đạt", "Trên tổng số", "Tỷ lệ", "Chỉ tiêu kế hoạch"]
        for i in ind.rows:
            yield [i.label, i.numerator, i.denominator, i.percent, i.target_text]
        if self.stats["children"]:
            yield ["", "", "", "", ""]
            yield ["Đơn vị", "Số Tổ", "Tiếp nhận", "Thành / (thành + không thành)", "Tỷ lệ thành"]
            for c in self.stats["children"]:
                child = c["indicators"]
                yield [
                    c["unit"].name,
                    child.teams,
                    child.received,
                    f"{child.success.numerator}/{child.success.denominator}",
                    child.success.percent,
                ]


# --- Documents made in the background (above one commune) -----------------------------------


document_job, document_restart, document_download = job_views(
    access=access_document_job,
    restart=jobs.restart,
    template="mediation/document_job.html",
    url_names=JobUrls(
        "mediation-document-job", "mediation-document-restart", "mediation-document-download"
    ),
    context=lambda job: _page(job.unit, title=documents.title(job)),
)
