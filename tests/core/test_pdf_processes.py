"""core.pdf_processes: parts laid out in separate processes come back in order, and a render
process that dies is an error, not a hang."""

import io

import pytest
from django.conf import settings

from core import pdf_processes
from tests.pdf_tools import pdf_text

BASE = str(settings.BASE_DIR)


def test_parts_come_back_in_order_from_two_processes():
    htmls = [f"<p>Phần {i}</p>" for i in range(5)]
    done = []
    parts = pdf_processes.render_parts(htmls, base_url=BASE, processes=2, part_done=done.append)
    assert [pdf_text(part).strip() for part in parts] == [f"Phần {i}" for i in range(5)]
    assert sorted(done) == list(range(5))


def test_a_render_process_that_dies_is_an_error():
    worker = pdf_processes._Worker(BASE)
    try:
        worker.process.kill()
        worker.process.wait()
        with pytest.raises(RuntimeError, match="render process ended"):
            worker.render("<p>x</p>")
    finally:
        worker.close()


def test_page_numbers_are_stamped_page_by_page():
    content = pdf_processes.join(
        pdf_processes.render_parts(
            ["<p>một</p>", "<p>hai</p><p style='break-before: page'>ba</p>"],
            base_url=BASE,
            processes=1,
        )
    )

    def numbers(pages: int) -> bytes:
        return pdf_processes._write_pdf(
            "<style>@page { @bottom-center { content: 'trang ' counter(page) } }"
            "div + div { break-before: page }</style>" + "<div></div>" * pages,
            BASE,
        )

    numbered = pdf_processes.number_pages(content, numbers)
    pages = pdf_text(numbered).split("\f")
    assert ["trang 1" in pages[0], "trang 2" in pages[1], "trang 3" in pages[2]] == [True] * 3
    assert "ba" in pages[2]
    # The pages' content stays compressed once the numbers are merged onto it.
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(numbered)).pages:
        assert page["/Contents"].get_object().get("/Filter") == "/FlateDecode"
