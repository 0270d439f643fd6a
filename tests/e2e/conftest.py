import contextlib
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer
from pytest_django import live_server_helper

# Debian's headless shell (chromium-headless-shell, Chromium's old headless mode: no browser UI
# behind the page) when it is there: the same Blink, about half the CPU of `chromium --headless`
# over the e2e tests (measured on insurance + login: 8.4 s → 4.8 s of Chromium's CPU). Playwright
# itself uses the shell for headless runs.
CHROMIUM = (
    shutil.which("chromium-headless-shell") or shutil.which("chromium") or "/usr/bin/chromium"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Chromium features turned off on top of Playwright's own list. RenderDocument gives every
# navigation a new renderer frame, even to a page of the same site; without it the frame is
# reused, as Chromium did until 2024: nothing a page or a test sees changes, and Chromium's
# CPU per navigation falls by about a third (100 loads of a small page: 6.5 → 4.2 s; the
# mediation, insurance and safe-area tests: 18.5 → 14.3 s of Chromium's CPU).
OUR_DISABLED_FEATURES = frozenset({"RenderDocument"})
# Chromium keeps only the last --disable-features on its command line, so ours must name
# Playwright's too (playwright-core's chromiumSwitches.ts, as of Playwright 1.65). When a new
# Playwright adds one, `browser` finds it on the running browser's command line and starts
# the browser again with it (tests/e2e/test_chromium.py checks that none is lost).
PLAYWRIGHT_DISABLED_FEATURES = frozenset(
    {
        "AvoidUnnecessaryBeforeUnloadCheckSync",
        "DestroyProfileOnBrowserClose",
        "HttpsUpgrades",
        "HttpsFirstBalancedModeAutoEnable",
        "LensOverlay",
        "MediaRouter",
        "PaintHolding",
        "ThirdPartyStoragePartitioning",
        "AvoidCorsURLLoaderRestartOnRedirect",
        "TcpPortRandomizationWin",
        "OptimizationHints",
        "NetworkTimeServiceQuerying",
        "AimEnabled",
        "PreconnectToSearch",
        "msForceBrowserSignIn",
        "msEdgeUpdateLaunchServicesPreferredVersion",
    }
)

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); `make test` "
            "installs it when run as root"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        features = PLAYWRIGHT_DISABLED_FEATURES | OUR_DISABLED_FEATURES
        chromium = launch(p, features)
        missing = set().union(*launched_disabled_features()[:-1]) - features
        if missing:  # a newer Playwright turns off more: start again with its list too
            chromium.close()
            chromium = launch(p, features | missing)
        yield chromium
        chromium.close()


def launch(playwright, disabled_features: frozenset[str]):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*FLAGS, "--disable-features=" + ",".join(sorted(disabled_features))],
    )


def launched_disabled_features() -> list[set[str]]:
    """The --disable-features lists on the command line of the browser this process started
    (through Playwright's driver), in their order: Playwright's, then ours, which is the one
    Chromium keeps. Read from /proc; empty where there is none."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
    ours, found = {os.getpid()}, True
    while found:
        found = False
        for pid, parent in parents.items():
            if parent in ours and pid not in ours:
                ours.add(pid)
                found = True
    for pid in sorted(ours - {os.getpid()}):
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                args = file.read().decode(errors="replace").split("\0")
            if "--type=" in "".join(args) or not any(a == "--remote-debugging-pipe" for a in args):
                continue  # a renderer or helper process, or not a browser
            prefix = "--disable-features="
            return [set(a[len(prefix) :].split(",")) for a in args if a.startswith(prefix)]
    return []


class WaitsForRequests:
    """A live server that knows how many connections it is serving, so that a test can wait
    for the last one before its data is flushed.

    A browser keeps asking after the test's last step (the header badge counts the inbox after
    every page load). On PostgreSQL such a request, still in its transaction, and the flush that
    ends a transactional test (TRUNCATE) deadlock, and the next test starts on a database that
    was not emptied; on either database a request that arrives between tests is refused. So
    every page is closed, and the server idle, before the test ends (`new_page`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open = 0
        self._changed = threading.Condition()

    def process_request(self, request, client_address):
        with self._changed:
            self._open += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        try:
            super().shutdown_request(request)  # the threaded server closes its connections here
        finally:
            with self._changed:
                self._open -= 1
                self._changed.notify_all()

    def wait_idle(self, timeout: float = 10) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._open == 0, timeout)

    def quiet(self):
        """A block in which the test itself may use the database: nothing to hold here, each
        request thread has its own connection (see OneRequestAtATime for SQLite)."""
        return contextlib.nullcontext()


class OneRequestAtATime(WaitsForRequests, WSGIServer):
    """With the in-memory SQLite test database the live server's request threads would all use
    the test's one connection: two requests at once (a page and its favicon, a form's POST and
    the header badge's count) interleave their transactions on it and one fails with "no such
    savepoint" (a flaky 500 seen in CI). A real server has a connection per thread, so on
    PostgreSQL the live server keeps Django's threads; on SQLite it serves one request at a time
    (each response closes its connection, so no browser connection holds the server)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._serving = threading.RLock()

    def process_request(self, request, client_address):
        with self._serving:
            super().process_request(request, client_address)

    def quiet(self):
        """The test's own use of the database must not interleave with a request either: it is
        the same connection. `log_in_as` writes a session while the previous page's badge may
        still be asking (a "no such savepoint" seen in CI), so it waits here for the request
        being served, and the next one waits for it."""
        return self._serving


class KeepsConnections:
    """Django's threaded server makes a thread, and so a database connection, per browser
    connection, and closes it after: on PostgreSQL a new connection is a server process forked,
    8-15 ms here (168 of them, 2.5 s, for the insurance and mediation tests alone). These
    threads come from a pool and keep their connection from one request to the next, as a
    real server's do with CONN_MAX_AGE; each request still runs in Django's own transaction
    handling, so a connection is idle, in no transaction, between requests. The connections
    are closed with the server."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: list = []
        # Threads are made as needed (a browser keeps a connection open, and its thread, for
        # its next requests); the ceiling is far above what a test opens.
        self._pool = ThreadPoolExecutor(
            max_workers=32, thread_name_prefix="live-server", initializer=self._keep_connection
        )

    def _keep_connection(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections[DEFAULT_DB_ALIAS]  # this thread's own
        connection.settings_dict = connection.settings_dict | {"CONN_MAX_AGE": None}
        self._kept.append(connection)

    def process_request(self, request, client_address):
        self._pool.submit(self.process_request_thread, request, client_address)

    def _close_connections(self):
        pass  # the thread keeps its connection (Django's server closes it after each client)

    def server_close(self):
        super().server_close()
        self._pool.shutdown(wait=True)
        for connection in self._kept:
            if connection.connection is not None:  # its thread is over: closed from here
                connection.connection.close()


class ThreadedServer(WaitsForRequests, KeepsConnections, ThreadedWSGIServer):
    pass


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, with one of the two server classes above. After the test
    database is set up, so that it stops (and closes its connections) before the database is
    dropped."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = live_server_helper.LiveServer(addr, start=False)
    server.thread.server_class = (
        OneRequestAtATime if server.thread.connections_override else ThreadedServer
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser, live_server):
    """`new_page(**context_options)`: a page in a new browser context. At the end of the test
    every context is closed and the test waits until the server has answered its last request."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    live_server.thread.httpd.wait_idle()


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, path, *, wanted: bool = False, **options) -> None:
    """A screenshot for people to look at (no test reads it back), taken only when asked for:
    $ANTT_SCREENSHOTS set (the directory the tests write to, default /tmp/antt-screenshots),
    or `wanted` (a test's own variable names the file). A full-page capture costs Chromium a
    few hundred milliseconds of CPU, about 50 of them a run, for pictures nobody opens in CI."""
    if wanted or os.environ.get("ANTT_SCREENSHOTS"):
        page.screenshot(path=path, **options)


def log_in(page, live_server, username, password):
    """Through the login form (tests/e2e/test_login.py; the other tests use `log_in_as`)."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")


def log_in_as(page, live_server, username: str, path: str = "/"):
    """`username`'s session, as Django's `force_login` leaves it (tests.builders.sign_in: one
    session write instead of force_login's 17 queries, 10 ms), in the page's browser context
    (the previous user's cookies gone, as after "Đăng xuất"), then `path` (or a full URL)
    opened and loaded; returns its response.

    The login form costs a page, two fields and a POST with its redirect every time a test
    changes user (about 30 times a run); test_login.py goes through the form and "Đăng xuất"."""
    from django.conf import settings
    from django.test import Client

    from teams.models import User
    from tests.builders import sign_in

    client = Client()
    with live_server.thread.httpd.quiet():
        sign_in(client, User.objects.get(username=username))
    context = page.context
    context.clear_cookies()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page.goto(path if "://" in path else live_server.url + path)
