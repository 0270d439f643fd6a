"""The roster annex laid out in parts on several processes (core.documents.render_in_parts):
the same document as in one process, numbered as one, every page but the first."""

import pytest
from django.test import override_settings

from reporting import documents
from reporting.periods import Period
from tests.pdf_tools import pdf_text

AUG = Period.monthly(2024, 8)


def pages(content: bytes) -> list[list[str]]:
    return [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in pdf_text(content).split("\f")
        if page.strip()
    ]


@pytest.fixture
def one_commune_per_chunk(monkeypatch):
    monkeypatch.setattr(documents, "ANNEX_CHUNK_MEMBERS", 1)


def annex(roster, processes: int) -> list[list[str]]:
    with override_settings(DOCUMENT_PROCESSES=processes):
        content, _name = documents.annex_pdf(unit=roster.units["lam_thao"], period=AUG)
    return pages(content)


def test_parts_on_two_processes_give_the_document_of_one(roster, one_commune_per_chunk):
    progress = []
    with override_settings(DOCUMENT_PROCESSES=2):
        content, _name = documents.annex_pdf(
            unit=roster.units["lam_thao"],
            period=AUG,
            progress=lambda done, total: progress.append((done, total)),
        )
    parallel = pages(content)
    assert len(parallel) >= 2  # a page per commune with members (two in the roster)
    assert parallel == annex(roster, processes=1)
    # Progress ends at every commune, whatever order the parts finished in.
    assert progress[0][0] == 0 and progress[-1][0] == progress[-1][1] > 0


def test_pages_are_numbered_across_parts_but_not_the_first(roster, one_commune_per_chunk):
    document = annex(roster, processes=1)
    assert document[0][0] != "1"
    assert document[0][0] == "PHỤ LỤC" or "PHỤ LỤC" in document[0]
    for number, page in enumerate(document[1:], start=2):
        assert page[0] == str(number), page[:3]
