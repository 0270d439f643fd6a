"""Load: 20 commune officers at once against gunicorn on 127.0.0.1 (loopback only, bounded).

The benchmark's database gets the official units, the shipped parameters and the demo; gunicorn
serves it (production-like settings: config.settings.bench, DEBUG off); 50 virtual officers,
each in its own thread with its own session, log in as the demo's commune officers (reused in
turn), then until the time is up browse their commune — commune page, roster, a team, the
allowance runs, the reports, the login page (as a colleague arriving would see it), their
commune's report PDF and allowance-list PDF — and save a form (their residential area, with
its version, as an officer correcting a household count would). On SQLite this is issue 16
§3: reads must not wait for the writer (config/sqlite3), 0 errors.

Prints requests/s, p50/p95/max latency, saves and errors. An error is a failed connection, a
5xx, or any answer a normal officer should never get (403, 404, a login page); a save that
meets another officer's save of the same area gets the conflict page, which is counted apart
(the optimistic locking doing its job), not as an error.

Settings (environment): LOAD_USERS (20), LOAD_SECONDS (30, at most 60), LOAD_WORKERS (gunicorn
processes, 3), LOAD_THREADS (threads per process, 4), LOAD_PORT (first port tried, 8021).
Run alone: `python bench/run.py bench_load --db postgresql`.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from bench import harness

harness.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from teams.models import Assignment, ResidentialArea, Role, Team, User  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", 20))
SECONDS = min(float(os.environ.get("LOAD_SECONDS", 30)), 60.0)
WORKERS = int(os.environ.get("LOAD_WORKERS", 3))
THREADS = int(os.environ.get("LOAD_THREADS", 4))
PASSWORD = "bench-load-only-password"  # the demo's public password is refused with DEBUG off
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# --- data ----------------------------------------------------------------------------------

started = time.perf_counter()
call_command("import_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
call_command("load_parameters", stdout=open(os.devnull, "w"))  # noqa: SIM115
call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
print(f"   demo data: {time.perf_counter() - started:.1f} s")


@dataclass
class Officer:
    username: str
    commune: int
    areas: list[int]
    teams: list[int]


officers = []
for a in (
    Assignment.objects.filter(role=Role.COMMUNE_OFFICER, user__username__startswith="canbo_")
    .select_related("user", "unit")
    .order_by("user__username")
):
    areas = list(ResidentialArea.objects.filter(commune=a.unit).values_list("pk", flat=True))
    teams = list(Team.objects.filter(commune=a.unit).values_list("pk", flat=True))
    if areas and teams:
        officers.append(Officer(a.user.username, a.unit.pk, areas, teams))
        user = User.objects.get(pk=a.user_id)
        user.set_password(PASSWORD)
        user.save()
assert officers, "the demo has no commune officers"
print(f"   {len(officers)} demo commune officers, reused in turn by {USERS} virtual officers")

# --- gunicorn ------------------------------------------------------------------------------


def free_port(start: int) -> int:
    for port in range(start, start + 50):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


port = free_port(int(os.environ.get("LOAD_PORT", 8021)))
base = f"http://127.0.0.1:{port}"
env = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
}
server = subprocess.Popen(
    [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ],
    cwd=ROOT,
    env=env,
    start_new_session=True,
)


def stop_server():
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


try:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/dang-nhap/", timeout=10).read()
            break
        except OSError:  # not listening yet (URLError, ConnectionError) or slow to answer
            time.sleep(0.2)
    else:
        raise RuntimeError("gunicorn did not start")

    # --- virtual officers ------------------------------------------------------------------

    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    REPORT_LINK = re.compile(r'href="(/don-vi/\d+/bao-cao/[a-z-]+/[^/"]+/)"')
    RUN_LINK = re.compile(r'href="(/chi-tra/\d+/)"')
    VERSION = re.compile(r'name="version" value="(\d+)"')
    FIELD = re.compile(r'name="(name|households|residents)"[^>]*value="([^"]*)"')
    SELECT = re.compile(r'<select name="(kind|village_type)"[^>]*>(.*?)</select>', re.S)
    SELECTED = re.compile(r'<option value="([^"]*)" selected')

    @dataclass
    class Tally:
        latencies: list[float] = field(default_factory=list)
        by_page: dict[str, list[float]] = field(default_factory=dict)
        errors: list[str] = field(default_factory=list)
        saves: int = 0
        conflicts: int = 0
        server_errors: int = 0  # 5xx answers, e.g. "database is locked"
        timeouts: int = 0  # no answer within 30 s

    class Session:
        def __init__(self, officer: Officer, tally: Tally, index: int):
            self.officer, self.tally, self.index = officer, tally, index
            self.pdfs: list[str] = []
            # the login page as someone not yet logged in gets it (no cookies kept)
            self.anonymous = urllib.request.build_opener()
            jar = http.cookiejar.CookieJar()
            self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            self.jar = jar

        def request(self, path, data=None, expect=(200,), anonymous=False):
            body = urllib.parse.urlencode(data).encode() if data is not None else None
            req = urllib.request.Request(base + path, data=body)
            if data is not None:
                req.add_header("Referer", base + path)
            start = time.perf_counter()
            try:
                opener = self.anonymous if anonymous else self.opener
                with opener.open(req, timeout=30) as response:
                    raw = response.read()
                    status, final = response.status, response.geturl()
                    pdf = response.headers.get_content_type() == "application/pdf"
                    if path.endswith(".pdf") and not (pdf and raw.startswith(b"%PDF")):
                        status = f"{status}, not a PDF"
                    text = raw.decode(errors="replace")
            except urllib.error.HTTPError as exc:
                status, final, text = exc.code, exc.geturl(), ""
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                status, final, text = None, None, ""
                self.tally.errors.append(f"{path}: {exc}")
                if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                    self.tally.timeouts += 1
            seconds = time.perf_counter() - start
            # a request that timed out counts in the latencies with the time it was given
            self.tally.latencies.append(seconds)
            page = ("POST " if data is not None else "GET ") + re.sub(r"\d+", "<id>", path)
            self.tally.by_page.setdefault(page, []).append(seconds)
            if status is None:
                return None, None
            if isinstance(status, int) and status >= 500:
                self.tally.server_errors += 1
            if status not in expect or ("/dang-nhap/" in final and "/dang-nhap/" not in path):
                self.tally.errors.append(f"{path}: {status} → {final}")
                return None, None
            return text, final

        def csrf(self):
            return next(c.value for c in self.jar if c.name == "csrftoken")

        def login(self):
            page, _ = self.request("/dang-nhap/")
            token = CSRF.search(page).group(1)
            _page, final = self.request(
                "/dang-nhap/",
                {
                    "csrfmiddlewaretoken": token,
                    "username": self.officer.username,
                    "password": PASSWORD,
                    "next": "/",
                },
            )
            if final is None or final.endswith("/dang-nhap/"):
                return False
            # the commune's documents: its latest report and allowance list, as PDFs
            o = self.officer
            reports, _ = self.request(f"/don-vi/{o.commune}/bao-cao/")
            runs, _ = self.request(f"/don-vi/{o.commune}/chi-tra/")
            self.pdfs = [
                found.group(1) + suffix
                for found, suffix in (
                    (REPORT_LINK.search(reports or ""), "bao-cao.pdf"),
                    (RUN_LINK.search(runs or ""), "danh-sach.pdf"),
                )
                if found
            ]
            return True

        def save_area(self):
            o = self.officer
            area = o.areas[(self.index // len(officers)) % len(o.areas)]
            page, _ = self.request(f"/khu-dan-cu/{area}/sua/")
            if page is None:
                return
            data = dict(FIELD.findall(page))
            for name, options in SELECT.findall(page):
                chosen = SELECTED.search(options)
                data[name] = chosen.group(1) if chosen else ""
            data["version"] = VERSION.search(page).group(1)
            data["csrfmiddlewaretoken"] = CSRF.search(page).group(1)
            _page, final = self.request(f"/khu-dan-cu/{area}/sua/", data)
            if final is None:
                return
            if f"/don-vi/{o.commune}/" in final:
                self.tally.saves += 1
            else:
                self.tally.conflicts += 1

        def browse(self, deadline):
            o = self.officer
            pages = [
                f"/don-vi/{o.commune}/",
                f"/don-vi/{o.commune}/thanh-vien/",
                f"/to/{o.teams[self.index % len(o.teams)]}/",
                f"/don-vi/{o.commune}/chi-tra/",
                f"/don-vi/{o.commune}/bao-cao/",
                "/dang-nhap/",
                "/",
                *self.pdfs,
            ]
            i = 0
            while time.perf_counter() < deadline:
                page = pages[i % len(pages)]
                self.request(page, anonymous=page == "/dang-nhap/")
                i += 1
                if i % len(pages) == 0:
                    self.save_area()

    tally = Tally()
    sessions = [Session(officers[i % len(officers)], tally, i) for i in range(USERS)]
    failed_logins = [s.officer.username for s in sessions if not s.login()]
    tally.latencies.clear()
    tally.by_page.clear()
    start = time.perf_counter()
    deadline = start + SECONDS
    threads = [threading.Thread(target=s.browse, args=(deadline,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 60)
    elapsed = time.perf_counter() - start
finally:
    stop_server()

lat = sorted(tally.latencies)
count = len(lat)
p50 = statistics.median(lat) * 1000 if lat else 0
p95 = lat[max(0, int(count * 0.95) - 1)] * 1000 if lat else 0
errors = len(tally.errors) + len(failed_logins)
print(
    f"   {USERS} officers, {SECONDS:.0f} s, gunicorn {WORKERS}×{THREADS} on "
    f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}: {count:,} requests "
    f"({count / elapsed:.1f}/s), p50 {p50:.0f} ms, p95 {p95:.0f} ms, max "
    f"{(lat[-1] * 1000 if lat else 0):.0f} ms; {tally.saves} saves, {tally.conflicts} "
    f"conflicts; {errors} errors"
)
for page, times in sorted(
    tally.by_page.items(), key=lambda kv: -sorted(kv[1])[int(len(kv[1]) * 0.95) - 1]
):
    times.sort()
    print(
        f"   {page}: {len(times)} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[max(0, int(len(times) * 0.95) - 1)] * 1000:.0f} ms"
    )
for line in (tally.errors + [f"login failed: {u}" for u in failed_logins])[:10]:
    print(f"   error: {line}")
harness.figure(f"requests per second ({USERS} officers, {SECONDS:.0f} s)", count / elapsed, "req/s")
harness.figure("p95 latency", p95, "ms")
harness.figure("p50 latency", p50, "ms")


def p95_of(kind) -> float:
    times = sorted(t for page, ts in tally.by_page.items() if kind(page) for t in ts)
    return times[max(0, int(len(times) * 0.95) - 1)] * 1000 if times else 0


harness.figure("p95 latency, PDF downloads", p95_of(lambda p: p.endswith(".pdf")), "ms")
harness.figure("p95 latency, login page", p95_of(lambda p: p == "GET /dang-nhap/"), "ms")
harness.figure("forms saved", tally.saves, "saves")
harness.figure("save conflicts (same area, optimistic locking)", tally.conflicts, "saves")
harness.figure("errors", errors, "requests", "== 0")
harness.figure("of which server errors (5xx)", tally.server_errors, "requests", "== 0")
harness.figure("of which no answer within 30 s", tally.timeouts, "requests")
