"""Remuneration of mediators: the quarter's payment lists of a commune, their workflow,
PDF and Excel."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.documents import Letterhead, Signature, pdf_response, place_name, render_pdf
from core.exporters import xlsx_response
from core.formatting import amount_in_words
from core.periods import Quarter
from core.views import Errors, submit
from teams.access import access_commune, can

from .. import forms, selectors, services
from ..access import access_payment_list
from ..exporters import PaymentExporter
from ..models import PaymentList
from ._base import EDIT, _page


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


@require_safe
def payment_xlsx(request, pk: int):
    payment_list = access_payment_list(request.user, pk)
    sheet = selectors.payment_sheet(payment_list=payment_list)
    return xlsx_response(
        PaymentExporter(sheet),
        f"Thu lao hoa giai {payment_list.commune.name} {payment_list.quarter:%m-%Y}",
    )
