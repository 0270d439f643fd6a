"""core.pdf_processes: parts laid out in separate processes come back in order, and a render
process that dies is an error, not a hang."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

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
    parts = pdf_processes.render_parts(
        ["<p>một</p>", "<p>hai</p><p style='break-before: page'>ba</p>"],
        base_url=BASE,
        processes=1,
    )
    asked = []

    def numbers(pages: int) -> bytes:
        asked.append(pages)
        return pdf_processes._write_pdf(  # more pages than asked for: the rest are not used
            "<style>@page { @bottom-center { content: 'trang ' counter(page) } }"
            "div + div { break-before: page }</style>" + "<div></div>" * (pages + 2),
            BASE,
        )

    numbered = pdf_processes.join_numbered(parts, numbers)
    assert asked == [3]
    pages = pdf_text(numbered).split("\f")
    assert ["trang 1" in pages[0], "trang 2" in pages[1], "trang 3" in pages[2]] == [True] * 3
    assert "ba" in pages[2]
    # The pages' content stays compressed once the numbers are merged onto it.
    reader = PdfReader(io.BytesIO(numbered))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert page["/Contents"].get_object().get("/Filter") == "/FlateDecode"


def test_numbered_pages_are_laid_out_once_for_the_longest_document_so_far():
    from core.documents import _PageNumbers

    made = _PageNumbers()
    three = made.at_least(3, "landscape")
    assert made.at_least(2, "landscape") is three  # reused, not laid out again
    longer = made.at_least(4, "landscape")  # more than made so far: twice as many
    pages = [text.strip() for text in pdf_text(longer).split("\f")[:6]]
    assert pages == ["", "2", "3", "4", "5", "6"]  # landscape A4, no number on the first
    assert PdfReader(io.BytesIO(longer)).pages[0].mediabox.width > 800
    assert made.at_least(6, "landscape") is longer
    assert made.at_least(1, "") is not longer  # another page class has pages of its own


def _idle_pids() -> set[int]:
    return {worker.process.pid for worker in pdf_processes._idle._workers}


def test_the_processes_wait_for_the_next_document():
    pdf_processes.render_parts(["<p>một</p>", "<p>hai</p>"], base_url=BASE, processes=2)
    started = _idle_pids()
    assert len(started) == 2

    parts = pdf_processes.render_parts(["<p>ba</p>", "<p>bốn</p>"], base_url=BASE, processes=2)

    assert [pdf_text(part).strip() for part in parts] == ["ba", "bốn"]
    assert _idle_pids() == started  # the same two processes, not two new ones


def test_a_dead_or_retired_process_is_replaced_and_the_idle_ones_can_be_ended():
    # A pool of its own, whose processes lay nothing out: starting one is cheap, its first
    # document (WeasyPrint's import, the fonts) is what costs.
    idle = pdf_processes._Idle()
    dead, retired = idle.take(2, BASE)
    idle.give_back([dead, retired])
    dead.process.kill()
    dead.process.wait()
    retired.rendered = pdf_processes.RENDERS_PER_PROCESS

    taken = idle.take(2, BASE)

    assert {w.process.pid for w in taken}.isdisjoint({dead.process.pid, retired.process.pid})
    assert retired.process.poll() is not None  # ended when found unfit, not left behind
    idle.give_back(taken)
    assert idle.take(2, BASE) == taken  # fit ones are taken again
    idle.give_back(taken)
    idle.close()
    assert idle.take(0, BASE) == []
    assert all(worker.process.poll() is not None for worker in taken)
