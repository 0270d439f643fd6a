"""Production hardening: login throttling, the demo password, the admin gate, CSP and no inline
script, and the production settings themselves (`check --deploy`, no secret in the repo)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config.security import DEMO_PASSWORD, client_ip
from teams.models import Assignment, Role, User
from tests.builders import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- login throttling (django-axes) ----------------------------------------------------------


def test_repeated_bad_passwords_lock_the_account_out_from_that_address(client, world):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = login(client, "canbo_xa1", "sai-mat-khau")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = login(client, "canbo_xa1", "sai-mat-khau")
    assert response.status_code in (403, 429)
    # Now even the right password is refused, with a Vietnamese explanation.
    response = login(client, "canbo_xa1", PASSWORD)
    assert response.status_code in (403, 429)
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo_xa1", "sai-mat-khau")
    # another officer in the same office still logs in
    response = login(client, "canbo_xa2", PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_fewer_failures_than_the_limit_then_success_resets(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "canbo_xa1", "sai-mat-khau")
    assert login(client, "canbo_xa1", PASSWORD).status_code == 302


def test_client_ip_reads_only_what_the_trusted_proxy_appended():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    with override_settings(ANTT_TRUSTED_PROXIES=1):
        assert client_ip(request) == "203.0.113.7"  # the spoofed first entry is ignored
    with override_settings(ANTT_TRUSTED_PROXIES=0):
        assert client_ip(request) == "127.0.0.1"


def ip_of(remote, forwarded=None, proxies=1, addresses=("127.0.0.1", "::1")):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    with override_settings(ANTT_TRUSTED_PROXIES=proxies, ANTT_TRUSTED_PROXY_ADDRESSES=addresses):
        return client_ip(request)


def test_a_request_reaching_the_application_directly_is_its_own_client():
    """Not from the proxy's address: X-Forwarded-For is ignored, whatever it says."""
    assert ip_of("198.51.100.5", "10.0.0.1") == "198.51.100.5"
    assert ip_of("198.51.100.5", "127.0.0.1") == "198.51.100.5"
    assert ip_of("198.51.100.5") == "198.51.100.5"


def test_the_proxy_chain_is_walked_from_the_right():
    assert ip_of("127.0.0.1", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert ip_of("::1", "203.0.113.7") == "203.0.113.7"
    # two proxies, both trusted by address (a network is accepted too)
    two = {"proxies": 2, "addresses": ["127.0.0.1", "10.0.0.0/8"]}
    assert ip_of("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", **two) == "203.0.113.7"
    # the walk stops at the first address that is not a trusted proxy
    assert ip_of("127.0.0.1", "6.6.6.6, 10.1.2.3, 203.0.113.7", **two) == "203.0.113.7"
    # garbage in the header: the last good address (here the proxy itself)
    assert ip_of("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert ip_of("127.0.0.1", "") == "127.0.0.1"
    assert ip_of("127.0.0.1", "6.6.6.6", addresses=["bad", "127.0.0.1"]) == "6.6.6.6"


@pytest.mark.parametrize(
    ("remote", "forged"),
    [
        ("198.51.100.5", lambda i: f"10.0.0.{i}"),  # reached directly, a new header each time
        ("127.0.0.1", lambda i: f"10.0.0.{i}, 203.0.113.7"),  # through nginx, a forged prefix
    ],
    ids=["direct", "through-the-proxy"],
)
def test_a_forged_forwarded_for_does_not_reset_the_lockout(client, world, remote, forged):
    def attempt(i, password="sai-mat-khau"):
        return client.post(
            reverse("login"),
            {"username": "canbo_xa1", "password": password},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forged(i),
        )

    with override_settings(
        ANTT_TRUSTED_PROXIES=1, ANTT_TRUSTED_PROXY_ADDRESSES=["127.0.0.1", "::1"]
    ):
        for i in range(settings.AXES_FAILURE_LIMIT):
            attempt(i)
        response = attempt(99, password=PASSWORD)
    assert response.status_code in (403, 429)
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- the public demo password -------------------------------------------------------------


def test_demo_password_never_logs_in_when_debug_is_off(client, db):
    make_user("canbo_demo")
    user = User.objects.get(username="canbo_demo")
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert not settings.DEBUG
    response = login(client, "canbo_demo", DEMO_PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Mật khẩu trình diễn công khai không dùng được" in response.content.decode()
    # and the backend refuses it whatever the way in (admin login, scripts)
    request = RequestFactory().post("/")
    assert authenticate(request, username="canbo_demo", password=DEMO_PASSWORD) is None


def test_demo_password_works_on_a_debug_machine(client, db):
    user = make_user("canbo_demo")
    user.set_password(DEMO_PASSWORD)
    user.save()
    with override_settings(DEBUG=True):
        assert login(client, "canbo_demo", DEMO_PASSWORD).status_code == 302


def test_seed_demo_refuses_under_production_settings_even_with_force(db):
    with (
        override_settings(ANTT_DEMO_ALLOWED=False, DEBUG=True),
        pytest.raises(CommandError, match="Từ chối tạo dữ liệu mẫu"),
    ):
        call_command("seed_demo", "--force")
    assert not User.objects.exists()


def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG tắt"):
        call_command("seed_demo")


# --- the admin site: staff + administrator assignment ----------------------------------------


@pytest.mark.parametrize(
    ("staff", "superuser", "role", "allowed"),
    [
        (True, False, Role.ADMINISTRATOR, True),
        (True, True, None, False),  # a superuser flag alone is not enough
        (True, False, Role.PROVINCIAL_POLICE, False),
        (False, False, Role.ADMINISTRATOR, False),
    ],
)
def test_admin_needs_staff_and_an_administrator_role(
    client, world, staff, superuser, role, allowed
):
    user = User.objects.create_user("quantri", is_staff=staff, is_superuser=superuser)
    if role:
        Assignment.objects.create(user=user, unit=world.units["pt"], role=role)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


# --- CSP and no inline script --------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(client, roster):
    roster.client_for(client, "canbo_xa1")
    response = client.get(reverse("unit-detail", args=[roster.units["tien_kien"].pk]))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert '<script src="/static/js/app.js" defer></script>' in response.content.decode()


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.I)


def test_no_template_has_inline_script_or_style():
    """Web pages only: the PDF templates (templates/pdf/) are rendered by WeasyPrint."""
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue
        text = path.read_text()
        for pattern, what in (
            (INLINE_HANDLER, "event handler"),
            (INLINE_SCRIPT, "inline <script>"),
            (INLINE_STYLE, "inline style"),
        ):
            if pattern.search(text):
                problems.append(f"{path.relative_to(ROOT)}: {what}")
    assert not problems, problems


def test_the_duty_log_month_picker_submits_through_app_js(client, roster):
    roster.client_for(client, "canbo_xa1")
    page = client.get(reverse("duty-log", args=[roster.units["tien_kien"].pk])).content.decode()
    assert re.search(r'<select name="thang" id="thang" data-autosubmit>', page)
    assert "data-autosubmit" in (ROOT / "static/js/app.js").read_text()


# --- production settings --------------------------------------------------------------------


def production(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL",)
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ALLOWED_HOSTS": "antt.example.gov.vn",
            "DATABASE_URL": "postgres://antt@127.0.0.1:5432/antt_hard_check",
            **env_extra,
        }
    )
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


STRONG_KEY = "k" * 20 + "-production-like-key-made-for-this-test-only-" + "x" * 20


@pytest.mark.parametrize(
    "key", [None, "short", "local-development-only-not-secret" + "x" * 40], ids=str
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = production({"DJANGO_SECRET_KEY": key}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_serve_whitenoise_and_send_no_store():
    """One production process (Django's set-up, ~1 s, paid once instead of three times) for
    what the production settings promise: `check --deploy` clean at WARNING (run as
    `manage.py check --deploy --fail-level WARNING` runs it, call_command in the same process;
    a failure ends the process with the checks' report), static files through WhiteNoise's
    manifest storage and middleware, secure cookies, HSTS and the proxy's HTTPS header, and
    NoStoreMiddleware right after AuthenticationMiddleware (the Cache-Control section below
    tests what it does)."""
    result = production(
        {"DJANGO_SECRET_KEY": STRONG_KEY},
        "shell",
        "--no-imports",
        "-c",
        "import io; from django.core.management import call_command; "
        "out = io.StringIO(); "
        "call_command('check', deploy=True, fail_level='WARNING', stdout=out); "
        "print(out.getvalue().strip().replace(chr(10), ' ')); "
        "from django.conf import settings as s; m = s.MIDDLEWARE; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(m[1]); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SECURE_PROXY_SSL_HEADER); "
        "print(m.index('config.middleware.NoStoreMiddleware') - "
        "m.index('django.contrib.auth.middleware.AuthenticationMiddleware'))",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.split("\n")
    assert "no issues" in lines[0], result.stdout  # check --deploy
    assert lines[1] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert lines[2] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert lines[3] == "True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    assert lines[4] == "1"  # NoStoreMiddleware just after AuthenticationMiddleware


def test_no_secret_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env" not in tracked
    production_py = (ROOT / "config/settings/production.py").read_text()
    assert "SECRET_KEY =" not in production_py


# --- Cache-Control: no-store on what signed-in users get ----------------------------------------


def with_no_store():
    middleware = list(settings.MIDDLEWARE)
    at = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    middleware.insert(at, "config.middleware.NoStoreMiddleware")
    return override_settings(MIDDLEWARE=middleware)


def test_signed_in_pages_and_exports_are_not_stored(client, roster):
    commune = roster.units["tien_kien"]
    client.force_login(roster.users["canbo_xa1"])
    with with_no_store():
        for url in (
            reverse("home"),
            reverse("roster", args=[commune.pk]),
            reverse("roster-export", args=[commune.pk]),
            reverse("report-xlsx", args=[commune.pk, "thang", "2024-08"]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"], url
