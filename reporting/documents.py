"""Report documents: the commune report and the consolidated report (PDF, Decree 30/2020
layout) and their spreadsheets, plus the roster annex rendered commune by commune.

Everything here reads the report's frozen content (or, before submission, the same content
computed now), never raw rows, so the PDF and the page always say the same thing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

import core.documents
from core.documents import (
    Letterhead,
    Part,
    Signature,
    place_name,
    render_html,
    render_in_parts,
)
from core.exporters import Exporter
from core.formatting import ascii_slug, format_date
from core.jobs import Prepared, Progress, fingerprint
from rules.snapshots import marked, marked_values
from teams.models import AdministrativeUnit, Level, Membership
from teams.selectors import ROLE_ORDER

from . import selectors
from .contents import FIELDS
from .models import Report
from .periods import Period, PeriodKind

# A consolidated report from this many rows (one per commune, and the district subtotals) is
# laid out in parts, one per document process, on both cores (core.documents.render_in_parts);
# a shorter one is quicker in one process than starting the second.
CONSOLIDATED_PARTS_FROM_ROWS = 120
# What the first part carries before the table (letterhead, introduction, section 1's figures),
# counted in table rows of the same layout time, so that the parts take about as long.
CONSOLIDATED_HEAD_ROWS = 25
# A part may be this many rows longer or shorter than an even share to end with a district.
CONSOLIDATED_CUT_SLACK = 15
CONSOLIDATED_COLUMNS = [
    "teams", "members", "to_truong", "to_pho", "to_vien", "quota", "joiners", "leavers",
    "trained", "allowance_total", "insurance_support_total", "reports_passed_on", "patrols", "violations_found",
    "weapons_recovered", "fire_rescue",
]  # fmt: skip


def _subject(period: Period) -> str:
    when = (
        f"tháng {period.month} năm {period.year}"
        if period.kind == PeriodKind.MONTHLY
        else f"năm {period.year}"
    )
    return f"Kết quả xây dựng, hoạt động của Tổ bảo vệ an ninh, trật tự {when}"


def _issuer(unit: AdministrativeUnit) -> tuple[str, str, Signature, list[str]]:
    """Issuing body, document code, signature and recipients by level."""
    province = next(
        (
            u
            for u in AdministrativeUnit.objects.filter(path__in=unit.ancestor_paths)
            if u.level == Level.PROVINCE
        ),
        unit if unit.level == Level.PROVINCE else None,
    )
    province_name = province.name if province else ""
    if unit.level == Level.PROVINCE:
        return (
            f"CÔNG AN {unit.name.upper()}",
            "/BC-CAT",
            Signature("GIÁM ĐỐC"),
            [f"UBND {province_name}", "Lưu: VT, PC06"],
        )
    recipients = [f"Công an {province_name}"]
    if unit.level == Level.COMMUNE and unit.parent and unit.parent.level == Level.DISTRICT:
        recipients.append(f"UBND {unit.parent.name}")
    return (
        f"ỦY BAN NHÂN DÂN {unit.name.upper()}",
        "/BC-UBND",
        Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
        [*recipients, "Lưu: VT"],
    )


def letterhead(unit: AdministrativeUnit, period: Period, day) -> tuple[Letterhead, list, list]:
    body, code, signature, recipients = _issuer(unit)
    head = Letterhead(
        issuing_body=body,
        place=place_name(unit.name),
        date=day,
        title="BÁO CÁO",
        subject=_subject(period),
        number=f"       {code}",
    )
    return head, [signature], recipients


def _day(report: Report):
    return (
        timezone.localtime(report.submitted_at).date()
        if report.submitted_at
        else (timezone.localdate())
    )


CONSOLIDATED_TEMPLATE = "pdf/reporting/consolidated_report.html"


def report_document(*, report: Report, period: Period) -> tuple[str, dict, str]:
    """The template, its context and the file name of a report's PDF."""
    unit = report.unit
    head, signatures, recipients = letterhead(unit, period, _day(report))
    context = {
        "letterhead": head,
        "signatures": signatures,
        "recipients": recipients,
        "report": report,
        "period": period,
        "unit": unit,
        "draft": not report.is_sent,
    }
    if unit.level == Level.COMMUNE:
        contents = selectors.live_contents(report)
        context.update(
            rows=selectors.report_rows(contents, period.kind),
            unverified_values=marked_values(contents),
            contents=contents,
            equipment=_equipment_rows(contents),
        )
        template = "pdf/reporting/commune_report.html"
    else:
        consolidation = selectors.consolidation(unit=unit, period=period)
        context.update(consolidated_context(consolidation), landscape=True)
        template = CONSOLIDATED_TEMPLATE
    return template, context, f"Bao cao {period.key} {unit.name}"


def _subtotal(group: dict) -> int:
    return 1 if group["parent"] else 0  # a district's subtotal row (none in the two-tier tree)


def _split_table(groups: list[dict], parts: int) -> list[list[dict]]:
    """The consolidated table's groups cut into `parts` slices that take about as long to lay
    out, the first one's share smaller by what precedes the table, each ending with a district
    where one ends near the even cut. A district cut in two keeps its subtotal in the slice of
    its last commune (`closes`); the row numbers run on."""
    weight = sum(len(g["rows"]) + _subtotal(g) for g in groups) + CONSOLIDATED_HEAD_ROWS
    slices: list[list[dict]] = [[]]
    used = CONSOLIDATED_HEAD_ROWS  # the first slice starts below the head
    for group in groups:
        rows = group["rows"]
        while rows:
            room = weight * len(slices) / parts - used
            last = len(slices) == parts
            # A part ends with a district where one ends within CONSOLIDATED_CUT_SLACK rows of
            # the even cut, rather than in the middle of the next one.
            whole = len(rows) + _subtotal(group) <= room + CONSOLIDATED_CUT_SLACK
            starting = rows is group["rows"] and slices[-1]
            if not last and (
                room < 1 or (starting and not whole and room <= CONSOLIDATED_CUT_SLACK)
            ):
                slices.append([])
                continue
            take = rows if last or whole else rows[: int(room)]
            rows = rows[len(take) :]
            slices[-1].append({**group, "rows": take, "closes": not rows})
            used += len(take) + (0 if rows else _subtotal(group))
    return [part for part in slices if part]  # none empty, even with more processes than rows


def _contexts(template: str, context: dict) -> list[dict]:
    """The context of each part of a report's PDF: one part, the whole document, unless it is
    a consolidated report of CONSOLIDATED_PARTS_FROM_ROWS rows or more and there are several
    document processes."""
    groups = context.get("groups", [])
    rows = sum(len(g["rows"]) + _subtotal(g) for g in groups)
    processes = settings.DOCUMENT_PROCESSES
    if template != CONSOLIDATED_TEMPLATE or processes < 2 or rows < CONSOLIDATED_PARTS_FROM_ROWS:
        return [context]
    slices = _split_table(groups, processes)
    return [
        {**context, "groups": part, "part": Part(first=i == 0, last=i == len(slices) - 1)}
        for i, part in enumerate(slices)
    ]


def report_prepare(*, report: Report, period: Period) -> Prepared:
    """A report's PDF to make (core.jobs): its fingerprint is that of its HTML (the same HTML
    makes the same PDF, so an unchanged report is served again). A long consolidated report
    is laid out in parts on both cores, joined and numbered as one; progress counts its
    communes."""
    template, context, filename = report_document(report=report, period=period)
    contexts = _contexts(template, context)
    htmls = [render_html(template, c) for c in contexts]
    sizes = [sum(len(g["rows"]) for g in c.get("groups", [])) or 1 for c in contexts]

    def render(progress: Progress) -> tuple[bytes, str]:
        done = 0
        progress(done, sum(sizes))
        if len(htmls) == 1:
            content = core.documents.html_to_pdf(htmls[0])
            progress(sum(sizes), sum(sizes))
        else:

            def part_done(index: int) -> None:
                nonlocal done
                done += sizes[index]
                progress(done, sum(sizes))

            content = render_in_parts(htmls, page_class="landscape", part_done=part_done)
        return content, filename

    return Prepared(fingerprint=fingerprint(template, *htmls), render=render)


def report_pdf(*, report: Report, period: Period) -> tuple[bytes, str]:
    """A report's PDF at once (the commune's page, commands, benchmarks)."""
    return report_prepare(report=report, period=period).render(lambda done, total: None)


def _equipment_rows(contents: dict) -> list[selectors.EquipmentLine]:
    return selectors.equipment_lines(contents)


def consolidated_context(consolidation: selectors.Consolidation) -> dict:
    columns = [f for f in FIELDS if f.key in CONSOLIDATED_COLUMNS]
    columns.sort(key=lambda f: CONSOLIDATED_COLUMNS.index(f.key))

    def cells(contents: dict, values: list) -> list[tuple]:
        # (value, marked): an amount computed with an unverified value carries (*).
        return [
            (v, c.money and marked(contents, c.key)) for v, c in zip(values, columns, strict=True)
        ]

    groups, index = [], 0
    for parent, rows, subtotal in consolidation.subtotals():
        items = []
        for r in rows:
            index += 1
            # A unit that has not sent has no numbers (blank), which is not the same as zero.
            values = [r.contents.get(c.key, 0) if r.sent else None for c in columns]
            items.append(
                {"row": r, "index": index, "values": values, "cells": cells(r.contents, values)}
            )
        subtotal_values = [subtotal.get(c.key, 0) for c in columns]
        groups.append(
            {
                "parent": parent,
                "subtotal": subtotal_values,
                "subtotal_cells": cells(subtotal, subtotal_values),
                "rows": items,
                "closes": True,  # the subtotal follows (a part may end before it)
            }
        )
    totals = [consolidation.totals.get(c.key, 0) for c in columns]
    return {
        "consolidation": consolidation,
        "columns": columns,
        "groups": groups,
        "totals": totals,
        "total_cells": cells(consolidation.totals, totals),
        "unverified_values": marked_values(consolidation.totals),
        "count": selectors.status_count(consolidation),
        "rows_all": selectors.report_rows(consolidation.totals, consolidation.period.kind),
    }


# --- Spreadsheets -------------------------------------------------------------------------------


class CommuneReportExporter(Exporter):
    identifier = "commune_report"
    verbose_name = "Báo cáo"
    widths = (60, 18)

    def __init__(self, report: Report, period: Period):
        self.report, self.period = report, period
        self.title_lines = (
            f"BÁO CÁO {_subject(period).upper()}",
            report.unit.name,
            f"Số liệu từ {format_date(period.window_start)} đến {format_date(period.window_end)}",
        )

    def rows(self):
        contents = selectors.live_contents(self.report)
        yield ["Nội dung", "Số liệu"]
        for section, rows in selectors.report_rows(contents, self.period.kind):
            yield [str(section).upper(), ""]
            for label, value, _money, unverified in rows:
                yield [f"{label} (*)" if unverified else label, value]
        for line in _equipment_rows(contents):
            yield [
                f"Trang bị — {line.label}: cần / hiện có / còn thiếu / dư",
                f"{line.required} / {line.held} / {line.need} / {line.surplus}",
            ]
        if values := marked_values(contents):
            yield [f"(*) Tính theo giá trị chưa xác minh từ văn bản gốc: {'; '.join(values)}."]


class ConsolidatedExporter(Exporter):
    identifier = "consolidated_report"
    verbose_name = "Tổng hợp"

    def __init__(self, consolidation: selectors.Consolidation):
        self.c = consolidated_context(consolidation)
        self.consolidation = consolidation
        self.title_lines = (
            f"TỔNG HỢP BÁO CÁO {_subject(consolidation.period).upper()}",
            consolidation.unit.name,
            f"Đã nhận {self.c['count'].sent}/{self.c['count'].expected} báo cáo "
            f"({self.c['count'].late} gửi muộn)",
        )
        self.widths = (6, 30, 14, *([12] * len(self.c["columns"])))

    def rows(self):
        yield ["STT", "Đơn vị", "Tình trạng", *(c.label for c in self.c["columns"])]
        index = 0
        for group in self.c["groups"]:
            for item in group["rows"]:
                index += 1
                row = item["row"]
                state = (
                    "Chưa gửi" if not row.sent else "Gửi muộn" if row.report.late else "Đúng hạn"
                )
                yield [index, row.unit.name, state, *item["values"]]
            if group["parent"] is not None:
                yield ["", f"Cộng {group['parent'].name}", "", *group["subtotal"]]
        yield ["", "TỔNG CỘNG", "", *self.c["totals"]]
        if values := self.c["unverified_values"]:
            yield ["", f"(*) Có số tiền tính theo giá trị chưa xác minh: {'; '.join(values)}."]


def report_exporter(*, report: Report, period: Period) -> tuple[Exporter, str]:
    filename = f"Bao cao {period.key} {report.unit.name}"
    if report.unit.level == Level.COMMUNE:
        return CommuneReportExporter(report, period), filename
    return ConsolidatedExporter(selectors.consolidation(unit=report.unit, period=period)), filename


# --- The roster annex, commune by commune ------------------------------------------------------


ANNEX_CHUNK_MEMBERS = 600


def _chunks(communes: list, by_commune: dict[int, list]):
    chunk, size = [], 0
    for commune in communes:
        chunk.append(commune)
        size += max(1, len(by_commune.get(commune.pk, [])))
        if size >= ANNEX_CHUNK_MEMBERS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


ANNEX_TEMPLATE = "pdf/reporting/roster_annex.html"


def _member_values(m: Membership) -> tuple:
    """What the annex prints of a member (its fingerprint is made of these)."""
    p = m.person
    return (p.full_name, p.birth_date, p.cccd, m.team.name, m.get_role_display(), m.start_date)


def annex_prepare(*, unit: AdministrativeUnit, period: Period) -> Prepared:
    """Every member serving at the end of the window under `unit`, one section per commune
    that has any (communes with no one serving are skipped, and counted in the title and the
    job's note).

    Communes are rendered in chunks of about ANNEX_CHUNK_MEMBERS members, on both cores, and
    the PDFs joined and numbered as one (core.documents.render_in_parts): memory stays that of
    one chunk per process, progress can be shown, and the fixed cost of a WeasyPrint document
    (styles, fonts, PDF writing) is paid per chunk rather than per commune.
    """
    end = period.window_end
    communes = list(selectors.communes_for(unit, period))
    members = (
        Membership.objects.filter(team__commune__in=communes, start_date__lte=end)
        .exclude(end_date__lt=end)
        .select_related("person", "team")
        .order_by("team__commune__path", "team__name", ROLE_ORDER, "person__search_name")
    )
    by_commune: dict[int, list] = {}
    for m in members:
        by_commune.setdefault(m.team.commune_id, []).append(m)
    serving = [c for c in communes if c.pk in by_commune]
    skipped = len(communes) - len(serving)
    head, _signatures, _recipients = letterhead(unit, period, timezone.localdate())
    key = fingerprint(
        ANNEX_TEMPLATE,
        head.issuing_body,
        str(head.date),
        unit.name,
        period.key,
        skipped,
        [(c.name, [_member_values(m) for m in by_commune[c.pk]]) for c in serving],
    )
    note = (
        f"Bỏ qua {skipped} xã không có thành viên đang tham gia ({len(serving)} xã có thành viên)."
        if skipped
        else ""
    )

    def render(progress: Progress) -> tuple[bytes, str]:
        chunks = list(_chunks(serving, by_commune)) if serving else [[]]
        htmls = [
            render_html(
                ANNEX_TEMPLATE,
                {
                    "letterhead": head,
                    "unit": unit,
                    "period": period,
                    "sections": [(c, by_commune[c.pk]) for c in chunk],
                    "first": index == 0,
                    "skipped": skipped,
                    "serving": len(serving),
                },
            )
            for index, chunk in enumerate(chunks)
        ]
        done = 0
        progress(0, len(serving))

        def chunk_done(index: int) -> None:
            nonlocal done
            done += len(chunks[index])
            progress(done, len(serving))

        content = render_in_parts(htmls, page_class="landscape", part_done=chunk_done)
        name = ascii_slug(f"Phu luc danh sach {period.key} {unit.name}")
        return content, f"{name}.pdf"

    return Prepared(fingerprint=key, render=render, note=note)


def annex_pdf(
    *,
    unit: AdministrativeUnit,
    period: Period,
    progress: Progress = lambda done, total: None,
) -> tuple[bytes, str]:
    """The roster annex at once (benchmarks, commands); pages use the background job."""
    return annex_prepare(unit=unit, period=period).render(progress)
