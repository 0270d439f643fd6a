"""Settings shared by every environment. Everything configurable comes from the environment
(django-environ), optionally through a `.env` file at the project root."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # Django's admin, entered only by staff who also hold an administrator assignment.
    "config.apps.AnttAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Field-level history of roster changes (teams.models: why this and not django-auditlog).
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # Login throttling (see AXES_* below) and the Content-Security-Policy header.
    "axes",
    "csp",
    # Apps, in dependency order (pyproject.toml [tool.importlinter] holds it):
    # rules <- core <- teams <- allowances <- insurance <- reporting <- workspace.
    "rules",
    "core",
    "teams",
    "allowances",
    "mediation",  # beside allowances, after teams (pyproject.toml [tool.importlinter])
    "insurance",
    "reporting",
    # The 2025 hand-over into the new communes: writes rosters, checks approvals of every app.
    "carryover",
    "workspace",
    # Beside allowances in the layers (pyproject.toml): the "An toàn về ANTT" recognition.
    "safe_areas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says otherwise (login, language switch).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Attributes admin edits in the history; services name the actor themselves.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # GET and HEAD requests only read: on SQLite they take no write lock (config.sqlite3).
    "config.middleware.ReadRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "teams.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.vn"],
        },
    },
]
# Django's widget templates with their includes written out: the same HTML from ~10x fewer
# template renders on a form page (core.form_rendering).
FORM_RENDERER = "core.form_rendering.FormRenderer"

# An embedded SQLite file unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes at once (gunicorn workers, the task worker): write-ahead log so that
    # readers never wait, and transactions that take the write lock when they begin, so that
    # two requests never both read and then both try to write ("database is locked"). Django
    # 5.1+ documents this as the way to run SQLite with concurrent writers. Except read
    # requests (GET, HEAD): their transaction begins DEFERRED and takes no write lock, so
    # pages and downloads neither wait for a writer nor make writers wait (config.sqlite3,
    # config.middleware.ReadRequestMiddleware).
    DATABASES["default"]["ENGINE"] = "config.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's database sessions, read with one plain statement instead of an ORM query.
SESSION_ENGINE = "config.sessions"

AUTH_USER_MODEL = "teams.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first (refuses a locked-out username + address before the password is checked),
# then the model backend that also refuses the public demo password when DEBUG is off, and
# loads a signed-in request's user with the user's assignments in one query.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.security.DemoPasswordGuardBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked for AXES_COOLOFF_TIME (a whole commune office behind one address is not
# locked out by one officer's mistakes, and guessing one account's password stays slow).
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_VERBOSE = False
# Reverse proxies in front of the application whose X-Forwarded-For is trusted (production: 1),
# and the addresses they connect from (config.security.client_ip): a request from any other
# address reached the application directly, and its X-Forwarded-For is ignored.
ANTT_TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=0)
ANTT_TRUSTED_PROXY_ADDRESSES = env.list(
    "DJANGO_TRUSTED_PROXY_ADDRESSES", default=["127.0.0.1", "::1"]
)

# Content-Security-Policy: scripts and styles only from our own static files (no inline
# script, no inline event handler: static/js/app.js does what they did), nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# `seed_demo` may run (with DEBUG on, or --force); production settings forbid it outright.
ANTT_DEMO_ALLOWED = True

# Vietnamese first; English available through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy and 1.100.000 (see config/formats/vi/formats.py)
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="antt-teams@localhost")

# Background jobs (province-wide documents): stored in the database, run by
# `python manage.py db_worker` (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running document job with no progress for this long is taken for dead (its worker was
# killed) and marked failed, so that the user can start it again (core.jobs).
DOCUMENT_JOB_STALE_SECONDS = env.int("DOCUMENT_JOB_STALE_SECONDS", default=300)
# Processes that lay out the parts of a long document at once (core.pdf_processes): the
# machine's cores, at most 2 by default so that a render leaves the web server some room.
DOCUMENT_PROCESSES = env.int("DOCUMENT_PROCESSES", default=min(2, os.cpu_count() or 1))

# Reporting windows and deadlines (reporting.periods.ReportingRules); the defaults follow the
# province's plan (seed 000) and Decree 09/2019/NĐ-CP.
REPORTING = {
    "window_start_day": env.int("REPORTING_WINDOW_START_DAY", default=15),
    "due_before_day": env.int("REPORTING_DUE_BEFORE_DAY", default=15),
    "lock_after_days": env.int("REPORTING_LOCK_AFTER_DAYS", default=10),
}

# "An toàn về an ninh, trật tự" (Circular 124/2021/TT-BCA Art. 8 cl. 2): evaluation windows as
# (day, month) of the previous year where they start; and, per province (current GSO code, or
# "default"), which unit records the decision recognising a commune: "district" (its district
# while the tree has one, else the province) or "province". Since districts were abolished the
# deciding authority is UNVERIFIED (domain.md §11): a province sets its own.
SAFE_AREAS: dict = {
    "area_period_start": (1, 11),
    "unit_period_start": (16, 11),
    "commune_decider": {"default": "district"},
}

# Address of the site as users reach it, for links in e-mails (report reminders).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Roster workbooks (teams.roster_io): a commune has a few hundred members; larger files are
# refused with a message as soon as the limit is passed, before anything is written.
ROSTER_IMPORT_MAX_ROWS = env.int("ROSTER_IMPORT_MAX_ROWS", default=10_000)
ROSTER_IMPORT_MAX_BYTES = env.int("ROSTER_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) logs its one line without a traceback (config/log_filters.py).
    "filters": {
        "forbidden_without_traceback": {"()": "config.log_filters.ForbiddenWithoutTraceback"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["forbidden_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
