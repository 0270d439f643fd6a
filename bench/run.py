"""Run every benchmark (bench/bench_*.py), each in its own process, print its output, and
write bench/RESULTS.md: the machine, the date and each figure against its target.

    python bench/run.py                      # every benchmark, SQLite then PostgreSQL
    python bench/run.py bench_load --db sqlite   # some of them, on one database

The convention (bench/harness.py): a benchmark prints `FIGURE<TAB>name<TAB>value<TAB>unit<TAB>
target` lines (harness.figure / harness.timed); anything else it prints is shown as it is. A
new benchmark is a new bench/bench_<name>.py that prints such lines: nothing to register.

Benchmarks print figures; they never assert times. Each gets a throwaway SQLite database, and,
when PostgreSQL is reachable, runs again there. Peak memory is the child's maximum resident set
size, as the kernel counts it (os.wait4), reported as one more figure.

Results are kept per benchmark and database in bench/results.json, so running a few
benchmarks updates their rows and keeps the others (each row says when it was measured);
RESULTS.md is rewritten from it every time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import operator
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}


def databases(only: str | None) -> list[tuple[str, str]]:
    found = []
    if only in (None, "sqlite"):
        found.append(("SQLite", "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3")))
    if only in (None, "postgresql"):
        probe = subprocess.run(
            [sys.executable, str(ROOT / ".ci" / "postgres_url.py")],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0:
            # One database per checkout, so that two checkouts benchmarking at once do not drop
            # each other's database.
            suffix = "".join(ch if ch.isalnum() else "_" for ch in ROOT.name.lower())
            url = probe.stdout.strip().rsplit("/", 1)[0] + f"/antt_bench_{suffix}"
            found.append(("PostgreSQL", url))
        else:
            print("== PostgreSQL not reachable: benchmarks run on SQLite only")
    return found


def parse_figure(line: str) -> dict | None:
    parts = line.rstrip("\n").split("\t")
    if parts[0] != "FIGURE" or len(parts) != 5:
        return None
    _tag, name, value, unit, target = parts
    return {"name": name, "value": float(value), "unit": unit, "target": target}


def verdict(fig: dict) -> str:
    target = fig["target"].strip()
    if not target:
        return "—"
    op, _, bound = target.partition(" ")
    try:
        ok = OPS[op](fig["value"], float(bound))
    except (KeyError, ValueError):
        return "?"
    return "met" if ok else "**missed**"


def run_one(name: str, label: str, url: str) -> tuple[list[dict], bool]:
    print(f"\n== {name} on {label}", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    child = subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    figures = []
    for line in child.stdout:
        fig = parse_figure(line)
        if fig is None:
            print(line, end="", flush=True)
        else:
            figures.append(fig)
            target = f" (target {fig['target']}: {verdict(fig)})" if fig["target"] else ""
            print(f"   » {fig['name']}: {fig['value']:.4g} {fig['unit']}{target}", flush=True)
    _pid, status, usage = os.wait4(child.pid, 0)
    peak = usage.ru_maxrss / 1024
    print(f"   peak memory (max RSS of the process): {peak:.0f} MB")
    figures.append({"name": "peak memory (max RSS)", "value": peak, "unit": "MB", "target": ""})
    ok = os.waitstatus_to_exitcode(status) == 0
    if not ok:
        print(f"   {name} FAILED", flush=True)
    return figures, ok


# --- the machine ----------------------------------------------------------------------------


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "?"


def _postgres_version(url: str) -> str:
    try:
        import psycopg

        server = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(server, connect_timeout=3) as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return "PostgreSQL (version unknown)"


def machine(dbs: list[tuple[str, str]]) -> dict:
    versions = []
    for label, url in dbs:
        versions.append(
            f"SQLite {sqlite3.sqlite_version}" if label == "SQLite" else _postgres_version(url)
        )
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "ram": _ram(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "databases": ", ".join(versions),
    }


# --- results --------------------------------------------------------------------------------


def load_results() -> dict:
    if RESULTS_JSON.exists():
        return json.loads(RESULTS_JSON.read_text())
    return {"runs": {}}


def write_markdown(results: dict) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py) from bench/results.json; do not edit by hand.",
        "Each section says when and on what it was measured. Targets come from the issues;",
        "a figure without a target is information.",
        "",
    ]
    measured = {run["bench"] for run in results["runs"].values()}
    missing = [n for n in all_benchmarks() if n not in measured]
    if missing:
        lines += [
            "Not measured yet: "
            + ", ".join(f"`{n}` (`python bench/run.py {n}`)" for n in missing)
            + ".",
            "",
        ]
    for key in sorted(results["runs"]):
        run = results["runs"][key]
        m = run["machine"]
        lines += [
            f"## {run['bench']} — {run['database']}",
            "",
            f"Measured {run['date']} · {m['cpu']}, {m['cores']} cores, {m['ram']} RAM · "
            f"{m['os']} · Python {m['python']} · {m['databases']}"
            + (f" · load average {m['load']}" if m.get("load") else "")
            + ("" if run["ok"] else " · **the benchmark failed**"),
            "",
            "| Figure | Value | Unit | Target | |",
            "|---|---:|---|---|---|",
        ]
        for fig in run["figures"]:
            lines.append(
                f"| {fig['name']} | {fig['value']:,.4g} | {fig['unit']} | "
                f"{fig['target'] or '—'} | {verdict(fig)} |"
            )
        lines.append("")
    RESULTS_MD.write_text("\n".join(lines))


def all_benchmarks() -> list[str]:
    return sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="bench_* scripts (default: all)")
    parser.add_argument(
        "--db", choices=["sqlite", "postgresql"], default=os.environ.get("BENCH_DB")
    )
    args = parser.parse_args()
    names = args.names or all_benchmarks()
    dbs = databases(args.db)
    results = load_results()
    info = machine(dbs)
    failed = False
    for label, url in dbs:
        for name in names:
            # Other work on the machine slows every figure down: say how busy it was.
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            figures, ok = run_one(name, label, url)
            failed |= not ok
            # Read again: another checkout may have merged new figures meanwhile.
            results = load_results()
            results["runs"][f"{name} · {label}"] = {
                "bench": name,
                "database": label,
                "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": {**info, "databases": _db_version(info, label), "load": load},
                "figures": figures,
                "ok": ok,
            }
            RESULTS_JSON.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
            write_markdown(results)
    write_markdown(results)
    print(f"\n== written {RESULTS_MD.relative_to(ROOT)}")
    return 1 if failed else 0


def _db_version(info: dict, label: str) -> str:
    return next(
        (v.strip() for v in info["databases"].split(",") if v.strip().startswith(label)),
        label,
    )


if __name__ == "__main__":
    sys.exit(main())
