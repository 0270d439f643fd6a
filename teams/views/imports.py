"""Excel pages: the template, the export of a filtered roster, and the two-step import
(upload → every error listed, nothing written → confirm → written, all rows or none)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .. import roster_io, selectors, services
from ..access import Perm, access_commune, access_import, access_unit
from ..forms import ImportUploadForm
from ..models import RosterImport
from ._base import _context
from .roster import roster_filters


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=roster_io.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def import_template(request, pk: int):
    commune = access_commune(request.user, pk)
    return _xlsx(roster_io.template_xlsx(), f"mau-danh-sach-to-antt-{commune.code}.xlsx")


@require_safe
def roster_export(request, pk: int):
    """The roster page's list, with the same filters, as a workbook."""
    unit = access_unit(request.user, pk)
    _form, filters = roster_filters(request, unit)
    rows = selectors.roster(actor=request.user, unit=unit, filters=filters)
    name = slugify(unit.search_name or unit.code) or unit.code
    stamp = timezone.localdate().strftime("%Y%m%d")
    content = roster_io.export_xlsx(rows, title=f"Danh sách Tổ bảo vệ ANTT — {unit.label}")
    return _xlsx(content, f"danh-sach-to-antt-{name}-{stamp}.xlsx")


@require_http_methods(["GET", "POST"])
def import_upload(request, pk: int):
    commune = access_commune(request.user, pk, Perm.EDIT_ROSTER)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > roster_io.max_file_bytes():
            form.add_error(
                "file",
                _("Tệp quá lớn: tối đa %(n)s MB. Chia danh sách thành nhiều tệp.")
                % {"n": roster_io.max_file_mb()},
            )
        else:
            record = services.roster_import_check(
                commune=commune, file_name=upload.name, content=upload.read(), actor=request.user
            )
            return HttpResponseRedirect(reverse("roster-import-preview", args=[record.pk]))
    return render(
        request,
        "teams/import_upload.html",
        _context(
            request,
            commune,
            form=form,
            max_rows=roster_io.max_rows(),
            max_mb=roster_io.max_file_mb(),
            history=selectors.import_history(commune=commune),
        ),
    )


@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int):
    record = access_import(request.user, pk)
    commune = record.commune
    if request.method == "POST":
        if record.status == RosterImport.Status.IMPORTED:
            messages.info(request, _("Tệp này đã được nhập."))
            return HttpResponseRedirect(reverse("roster-import-preview", args=[record.pk]))
        if not record.report.get("errors") and bytes(record.content):
            report = services.roster_import_confirm(record=record, actor=request.user)
            if report.imported:
                messages.success(
                    request,
                    _("Đã nhập %(rows)s dòng: %(c)s thành viên mới, %(u)s cập nhật.")
                    % {"rows": report.rows, "c": report.created, "u": report.updated},
                )
                return HttpResponseRedirect(reverse("roster", args=[commune.pk]))
            messages.error(request, _("Danh sách đã thay đổi từ lúc kiểm tra: chưa nhập dòng nào."))
    report = roster_io.ImportReport.from_dict(record.report)
    return render(
        request,
        "teams/import_preview.html",
        _context(
            request,
            commune,
            record=record,
            report=report,
            # The stored report keeps the first errors and preview rows (roster_io.report).
            errors=report.errors,
            hidden_errors=report.error_count - len(report.errors),
            preview=report.preview,
            hidden_preview=report.preview_count - len(report.preview),
            can_confirm=(
                record.status == RosterImport.Status.CHECKED
                and not report.errors
                and record.rows > 0
            ),
        ),
    )
