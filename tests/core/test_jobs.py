"""core.jobs.fingerprint: what a document is made of, so that an unchanged one is served again
and a changed one is not."""

from core import jobs

TEMPLATE = "pdf/reporting/commune_report.html"


def test_the_same_values_give_the_same_fingerprint_and_other_values_another():
    assert jobs.fingerprint(TEMPLATE, "a", 1) == jobs.fingerprint(TEMPLATE, "a", 1)
    assert jobs.fingerprint(TEMPLATE, "a", 1) != jobs.fingerprint(TEMPLATE, "a", 2)


def test_an_edit_of_the_documents_style_sheet_changes_the_fingerprint(monkeypatch, tmp_path):
    # print.css is given to WeasyPrint beside the HTML, not written into it (core.pdf_processes).
    before = jobs.fingerprint(TEMPLATE, "a")
    edited = tmp_path / "print.css"
    edited.write_bytes(jobs.pdf_processes.PRINT_CSS.read_bytes() + b"\np { margin: 0 }\n")
    monkeypatch.setattr(jobs.pdf_processes, "PRINT_CSS", edited)
    jobs._print_css.cache_clear()
    try:
        assert jobs.fingerprint(TEMPLATE, "a") != before
    finally:
        monkeypatch.undo()
        jobs._print_css.cache_clear()
    assert jobs.fingerprint(TEMPLATE, "a") == before
