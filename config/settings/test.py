"""Test suite: fast hashing, in-memory cache and mail. DATABASE_URL picks SQLite or PostgreSQL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Templates used only by tests (e.g. a sample official document).
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates", BASE_DIR / "tests" / "templates"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# Background jobs run at once, inside the test.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Documents in parts are laid out in this process (tests that check the parallel path say so).
DOCUMENT_PROCESSES = 1

# One in-memory SQLite database per test worker. pytest-django gives each pytest-xdist worker
# its own database by suffixing the name, and leaves SQLite alone only when the engine is
# Django's own; with ours (config.sqlite3) `sqlite://:memory:` became a file named
# "test_:memory:_gw0" in the working directory: slower, migrated on every run (tests/db_cache.py
# copies in-memory databases only), and shared by two runs started in the same directory. An
# explicit in-memory test name is left as it is, and each worker is its own process.
if DATABASES["default"]["NAME"] == ":memory:":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
