"""Run every benchmark (bench/bench_*.py), each in its own process, and print its figures.

Benchmarks print figures; they never assert times. Each gets a throwaway SQLite database, and,
when PostgreSQL is reachable, runs again there. Peak memory is the child's maximum resident set
size, as the kernel counts it (os.wait4).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def databases() -> list[tuple[str, str]]:
    found = [("SQLite", "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3"))]
    probe = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "postgres_url.py")], capture_output=True, text=True
    )
    if probe.returncode == 0:
        # One database per checkout, so that two checkouts benchmarking at once do not drop
        # each other's database.
        suffix = "".join(ch if ch.isalnum() else "_" for ch in ROOT.name.lower())
        url = probe.stdout.strip().rsplit("/", 1)[0] + f"/antt_bench_{suffix}"
        found.append(("PostgreSQL", url))
    return found


def main() -> int:
    names = sys.argv[1:] or sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    for label, url in databases():
        for name in names:
            print(f"\n== {name} on {label}", flush=True)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            }
            child = subprocess.Popen([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, env=env)
            _pid, status, usage = os.wait4(child.pid, 0)
            print(f"   peak memory (max RSS of the process): {usage.ru_maxrss / 1024:.0f} MB")
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"   {name} FAILED", flush=True)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
