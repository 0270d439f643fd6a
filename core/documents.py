"""Official documents as PDF (Decree 30/2020/NĐ-CP layout), rendered with WeasyPrint.

Templates extend ``templates/pdf/base.html`` and receive a fully evaluated structure: nothing in
a PDF template queries the database. Rendering costs ~13 ms per table row (design.md §8), so a
caller renders synchronously up to ``SYNC_ROW_LIMIT`` rows and in the background above it.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from . import pdf_processes
from .formatting import ascii_slug, document_date_line

SYNC_ROW_LIMIT = 300


@dataclass(frozen=True)
class Letterhead:
    """The top of an official document: issuing body left, national motto and date right."""

    issuing_body: str  # "ỦY BAN NHÂN DÂN XÃ TIÊN KIÊN"
    place: str  # "Tiên Kiên": the place name of the date line
    date: datetime.date
    title: str  # document type: "DANH SÁCH", "BÁO CÁO"
    subject: str = ""  # trích yếu: "Chi trả hỗ trợ hằng tháng … tháng 8 năm 2024"
    parent_body: str = ""  # cơ quan chủ quản, e.g. "UBND HUYỆN LÂM THAO"
    number: str = ""  # số, ký hiệu: "  /DS-UBND" (left blank for the clerk to number)

    @property
    def date_line(self) -> str:
        return document_date_line(self.place, self.date)


@dataclass(frozen=True)
class Signature:
    title: str  # "CHỦ TỊCH", "NGƯỜI LẬP BIỂU"
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    name: str = ""


@dataclass(frozen=True)
class Part:
    """Where one part of a document laid out in parts stands (render_in_parts): base.html
    prints the letterhead and title on the first part only, the closing on the last only, and
    turns every part's own page numbers off."""

    first: bool
    last: bool


def place_name(unit_name: str) -> str:
    """The place of the date line: the unit's name without its kind ("Xã Tiên Kiên" → "Tiên
    Kiên", "Thành phố Cần Thơ" → "Cần Thơ")."""
    return re.sub(
        r"^(Tỉnh|Thành phố|Quận|Huyện|Thị xã|Xã|Phường|Thị trấn|Đặc khu)\s+", "", unit_name
    )


def render_html(template_name: str, context: dict) -> str:
    # Official documents are Vietnamese whatever language the user reads the site in.
    with translation.override("vi"):
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's PDF of the HTML, laid out in this process: every document's HTML → PDF
    step goes through ``pdf_processes._write_pdf`` (which imports WeasyPrint late: it loads
    pango, which web requests rarely need), here as in the render processes."""
    return pdf_processes._write_pdf(html, str(settings.BASE_DIR))


class _PageNumbers:
    """The blank numbered pages that render_in_parts stamps onto a joined document, by page
    class. Page n carries the same number in every document, so they are laid out once for
    as many pages as a document has needed so far (twice that when one needs more) and reused:
    for a 20-page report they were ~70 ms of one core after both cores had finished."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()

    def at_least(self, pages: int, page_class: str) -> bytes:
        with self._lock:
            made, content = self._made.get(page_class, (0, b""))
            if made < pages:
                made = max(pages, 2 * made)
                context = {"pages": range(made), "page_class": page_class}
                content = html_to_pdf(render_html("pdf/page_numbers.html", context))
                self._made[page_class] = (made, content)
            return content

    def forget(self) -> None:
        with self._lock:
            self._made.clear()


_page_numbers = _PageNumbers()


def start_afresh() -> None:
    """As in a task worker that has just started: no render process waiting, no numbered
    pages laid out yet (a benchmark's first-document figure)."""
    pdf_processes.close_idle_processes()
    _page_numbers.forget()


def render_in_parts(
    htmls: Sequence[str],
    *,
    page_class: str = "",
    part_done: Callable[[int], None] = lambda index: None,
) -> bytes:
    """One long document laid out in independent parts, on ``settings.DOCUMENT_PROCESSES``
    processes (core.pdf_processes), joined and numbered as one: print.css's page number on
    every page but the first. Each part's template turns its own numbers off (it cannot know
    its first page) and puts the parts' pages in `page_class` ("landscape" or "")."""
    parts = pdf_processes.render_parts(
        htmls,
        base_url=str(settings.BASE_DIR),
        processes=settings.DOCUMENT_PROCESSES,
        part_done=part_done,
    )
    return pdf_processes.join_numbered(
        parts, lambda pages: _page_numbers.at_least(pages, page_class)
    )


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template_name, context))


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{ascii_slug(filename)}.pdf"'
    return response
