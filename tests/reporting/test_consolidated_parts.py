"""A long consolidated report laid out in parts on two processes (reporting.documents
`report_prepare`, core.documents.render_in_parts): the table cut between parts continues under
its header, each district's subtotal stays after its last commune, the total and the closing
are in the last part, and the pages are numbered as one document."""

import re

import pytest
from django.test import override_settings

from reporting import documents
from reporting.models import Report
from reporting.periods import Period
from tests.pdf_tools import pdf_text

AUG = Period.monthly(2024, 8)


# --- where the table is cut ---------------------------------------------------------------


def groups(*sizes: int, districts: bool = True) -> list[dict]:
    """Groups of `sizes` commune rows, numbered on (as consolidated_context makes them)."""
    out, index = [], 0
    for number, size in enumerate(sizes):
        rows = []
        for _ in range(size):
            index += 1
            rows.append({"index": index})
        out.append({"parent": f"Huyện {number}" if districts else None, "rows": rows})
    return out


def flat(slices: list[list[dict]]) -> list[int]:
    return [row["index"] for part in slices for group in part for row in group["rows"]]


def weight(part: list[dict]) -> int:
    return sum(len(g["rows"]) + (1 if g["parent"] and g["closes"] else 0) for g in part)


@pytest.fixture
def head_rows(monkeypatch):
    monkeypatch.setattr(documents, "CONSOLIDATED_HEAD_ROWS", 30)
    return 30


@pytest.mark.parametrize("sizes", [(120, 80, 73), (10,) * 27, (273,), (1, 300, 1)])
@pytest.mark.parametrize("parts", [2, 3])
def test_every_row_once_in_order_and_the_parts_about_even(sizes, parts, head_rows):
    table = groups(*sizes)
    slices = documents._split_table(table, parts)
    assert flat(slices) == list(range(1, sum(sizes) + 1))
    assert len(slices) == parts
    # Each district's subtotal once, in the part of its last commune.
    closing = [g["parent"] for part in slices for g in part if g["closes"]]
    assert closing == [g["parent"] for g in table]
    # The first part carries the head: with it, every part within the slack of an even share
    # (within one row where no district ends near the cut).
    loads = [weight(part) for part in slices]
    loads[0] += head_rows
    share = sum(loads) / parts
    assert all(abs(load - share) <= documents.CONSOLIDATED_CUT_SLACK + 1 for load in loads)
    at_a_district_end = all(part[-1]["closes"] for part in slices)
    assert at_a_district_end or all(abs(load - share) <= 2 for load in loads), loads


def first_of_second(table: list[dict]) -> tuple[bool, int]:
    """Whether the first part ends with a district, and the first row of the second."""
    first, second = documents._split_table(table, 2)
    return first[-1]["closes"], second[0]["rows"][0]["index"]


def test_a_part_ends_with_a_district_that_ends_near_the_even_cut(head_rows):
    # 30 + 101 + 21 + 101 rows: the even cut (126.5) falls 4.5 rows before the end of the
    # first district, which the first part takes whole.
    assert first_of_second(groups(100, 20, 100)) == (True, 101)
    # 30 + 101 + 41 + 101: the cut (136.5) falls 5.5 rows into the second district, which
    # would end 35 rows later: the second part starts with it.
    assert first_of_second(groups(100, 40, 100)) == (True, 101)
    # 30 + 101 + 81 + 101: the cut (156.5) falls 25 rows into the second district, too far
    # from either end: cut there, its subtotal in the second part.
    assert first_of_second(groups(100, 80, 100)) == (False, 126)


def test_a_district_cut_in_two_continues_in_the_next_part(head_rows):
    first, second = documents._split_table(groups(200), 2)
    assert [g["closes"] for g in first] == [False]
    assert [g["closes"] for g in second] == [True]
    assert first[0]["parent"] == second[0]["parent"]


def test_no_part_is_empty_even_with_more_processes_than_rows(monkeypatch):
    monkeypatch.setattr(documents, "CONSOLIDATED_HEAD_ROWS", 0)
    slices = documents._split_table(groups(1, 1, districts=False), 8)
    assert flat(slices) == [1, 2] and all(slices)


# --- the document -------------------------------------------------------------------------


def pages(content: bytes) -> list[list[str]]:
    return [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in pdf_text(content).split("\f")
        if page.strip()
    ]


TABLE_ROW = re.compile(r"^(\d+\s+Xã |Cộng |TỔNG CỘNG)")


@pytest.fixture
def lam_thao_report(roster):
    """Lâm Thao's consolidated report (two communes, one district), cut after its first
    commune as a long report would be."""
    return Report(unit=roster.units["lam_thao"], kind=AUG.kind, period=AUG.key)


def render(report: Report, processes: int) -> list[list[str]]:
    with override_settings(DOCUMENT_PROCESSES=processes):
        content, _name = documents.report_pdf(report=report, period=AUG)
    return pages(content)


def test_two_processes_give_the_table_of_one_in_parts(lam_thao_report, monkeypatch):
    monkeypatch.setattr(documents, "CONSOLIDATED_PARTS_FROM_ROWS", 1)
    monkeypatch.setattr(documents, "CONSOLIDATED_HEAD_ROWS", 0)
    monkeypatch.setattr(documents, "CONSOLIDATED_CUT_SLACK", 0)
    one = render(lam_thao_report, processes=1)
    progress = []
    with override_settings(DOCUMENT_PROCESSES=2):
        prepared = documents.report_prepare(report=lam_thao_report, period=AUG)
        content, _name = prepared.render(lambda done, total: progress.append((done, total)))
    parts = pages(content)
    lines = [line for page in parts for line in page]

    def table(document):
        # pdftotext's spacing depends on the page's other lines: compare the words.
        return [line.split() for page in document for line in page if TABLE_ROW.match(line)]

    assert [row[:3] for row in table(parts)] == [
        ["1", "Xã", "Tiên"],
        ["2", "Xã", "Xuân"],
        ["Cộng", "Huyện", "Lâm"],
        ["TỔNG", "CỘNG", "0"],
    ]
    assert table(parts) == table(one)
    # The first part: letterhead, section 1, the table's first commune; the second part starts
    # a page with the table again under its header, and holds the rest and the closing.
    second = next(i for i, page in enumerate(parts) if any("(tiếp theo)" in x for x in page))
    assert "2. Số liệu từng đơn vị (tiếp theo)" in parts[second][1]
    assert any(line.startswith("STT") for line in parts[second])
    assert not any("Xuân Lũng" in line for page in parts[:second] for line in page)
    assert not any("Tiên Kiên" in line for page in parts[second:] for line in page)
    for once in ("ỦY BAN NHÂN DÂN HUYỆN LÂM THAO", "1. Tổng hợp chung", "3. Đánh giá", "Nơi nhận"):
        assert sum(once in line for line in lines) == 1, once
    assert any("Nơi nhận" in line for line in parts[-1])
    # Numbered as one: every page but the first carries its number at the top.
    assert parts[0][0].startswith("ỦY BAN NHÂN DÂN")
    assert [page[0] for page in parts[1:]] == [str(n) for n in range(2, len(parts) + 1)]
    # Progress counts communes, whichever part finished first.
    assert progress[0] == (0, 2) and progress[-1] == (2, 2) and sorted(progress) == progress


def test_a_short_report_stays_one_document(lam_thao_report):
    # Two communes are far below CONSOLIDATED_PARTS_FROM_ROWS: one document, as in one process.
    assert render(lam_thao_report, processes=2) == render(lam_thao_report, processes=1)
