import os
import shutil

import pytest
from django.core.servers.basehttp import WSGIServer
from pytest_django import live_server_helper

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class OneRequestAtATime(WSGIServer):
    """The live server without threads: each request runs alone and its connection closes.

    With the in-memory SQLite test database the live server's request threads all use the test's
    one connection. Two requests at once (a page and its favicon, a form's POST and the header
    badge's count) then interleave their transactions on it, and one fails with "no such
    savepoint" (a flaky 500 seen in CI). A real server has a connection per thread, and
    PostgreSQL runs keep Django's threaded server."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving one request at a time when it shares a connection."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = live_server_helper.LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield context.new_page()
    context.close()


def screenshot(page, path, *, wanted: bool = False, **options) -> None:
    """A screenshot for people to look at (no test reads it back), taken only when asked for:
    $ANTT_SCREENSHOTS set (the directory the tests write to, default /tmp/antt-screenshots),
    or `wanted` (a test's own variable names the file). A full-page capture costs Chromium a
    few hundred milliseconds of CPU, about 50 of them a run, for pictures nobody opens in CI."""
    if wanted or os.environ.get("ANTT_SCREENSHOTS"):
        page.screenshot(path=path, **options)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
