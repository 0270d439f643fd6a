"""bench/run.py: the FIGURE convention, targets, and RESULTS.md (without running a benchmark)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS_MD", tmp_path / "RESULTS.md")
    monkeypatch.setattr(module, "RESULTS_JSON", tmp_path / "results.json")
    return module


def test_figure_lines_round_trip(runner, capsys):
    from bench.harness import figure

    figure("national run", 12.3456, "s", "<= 30")
    line = capsys.readouterr().out
    assert line == "FIGURE\tnational run\t12.3456\ts\t<= 30\n"
    assert runner.parse_figure(line) == {
        "name": "national run",
        "value": 12.3456,
        "unit": "s",
        "target": "<= 30",
    }
    assert runner.parse_figure("   national run: 12 s\n") is None


@pytest.mark.parametrize(
    ("value", "target", "verdict"),
    [
        (12, "<= 30", "met"),
        (31, "<= 30", "**missed**"),
        (0, "== 0", "met"),
        (3, "== 0", "**missed**"),
        (150, ">= 100", "met"),
        (5, "", "—"),
        (5, "about 5", "?"),
    ],
)
def test_targets(runner, value, target, verdict):
    assert runner.verdict({"value": value, "target": target}) == verdict


def test_results_md_names_the_machine_date_and_each_figure(runner):
    results = {
        "runs": {
            "bench_load · PostgreSQL": {
                "bench": "bench_load",
                "database": "PostgreSQL",
                "date": "2026-11-30 12:00 UTC",
                "machine": {
                    "cpu": "AMD EPYC",
                    "cores": 2,
                    "ram": "23.5 GB",
                    "os": "Linux",
                    "python": "3.13.0",
                    "databases": "PostgreSQL 15.20",
                },
                "figures": [
                    {"name": "errors", "value": 0, "unit": "requests", "target": "== 0"},
                    {"name": "p95 latency", "value": 812.5, "unit": "ms", "target": ""},
                ],
                "ok": True,
            }
        }
    }
    runner.write_markdown(results)
    text = runner.RESULTS_MD.read_text()
    assert "## bench_load — PostgreSQL" in text
    assert "Measured 2026-11-30 12:00 UTC · AMD EPYC, 2 cores, 23.5 GB RAM" in text
    assert "Python 3.13.0 · PostgreSQL 15.20" in text
    assert "| errors | 0 | requests | == 0 | met |" in text
    assert "| p95 latency | 812.5 | ms | — | — |" in text


def test_every_benchmark_reports_figures():
    """The runner finds benchmarks by name; each must use the convention."""
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    assert {p.stem for p in scripts} >= {"bench_allowance_run", "bench_load", "bench_roster_import"}
    for path in scripts:
        text = path.read_text()
        assert "harness.figure(" in text or "harness.timed(" in text, path.name
