"""Shared set-up for benchmarks: Django on the database named by DATABASE_URL, freshly migrated.

Figures: a benchmark reports each measured figure with `figure()`, which prints one line

    FIGURE<TAB>name<TAB>value<TAB>unit<TAB>target

(target: "<= 30", ">= 100", or empty when the figure has no target). bench/run.py collects
these lines from every bench/bench_*.py and writes bench/RESULTS.md; every other line a
benchmark prints is shown as it is.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django


def setup() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "postgresql":
        _recreate_postgres_database(name)
    elif connection.vendor == "sqlite" and str(name) != ":memory:":
        # Every benchmark starts from an empty database, as on PostgreSQL.
        connection.close()
        Path(name).unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def _recreate_postgres_database(name: str) -> None:
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def analyze() -> None:
    """Planner statistics after a bulk load, as autovacuum would have them in production."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def figure(name: str, value: float, unit: str, target: str = "") -> None:
    """Report one figure to bench/run.py (see the module docstring)."""
    for text in (name, unit, target):
        assert "\t" not in text and "\n" not in text, text
    print(f"FIGURE\t{name}\t{value:.6g}\t{unit}\t{target}", flush=True)


@dataclass
class Timing:
    seconds: float = 0.0


@contextmanager
def timed(label: str, rows: int | None = None, unit: str = "rows", target: str = ""):
    """Time the block, print it, and report it as the figure `label` (seconds). `as t` gives
    the seconds afterwards (`t.seconds`), for ratios between figures."""
    start = time.perf_counter()
    timing = Timing()
    yield timing
    seconds = timing.seconds = time.perf_counter() - start
    if rows:
        print(f"   {label}: {rows:,} {unit} in {seconds:.2f} s ({rows / seconds:,.0f} {unit}/s)")
    else:
        print(f"   {label}: {seconds:.2f} s")
    figure(label, seconds, "s", target)
