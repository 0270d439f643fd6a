"""Production: gunicorn behind a reverse proxy, PostgreSQL, static files served by WhiteNoise.

Required environment: DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS (docs/deploy.md).
The repository holds no secret: without DJANGO_SECRET_KEY (or with a short or a development
one) these settings refuse to load, and so does every command and the server.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
if len(SECRET_KEY) < 50 or "not-secret" in SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a long random value kept out of the repository, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (the server's host name).")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    raise RuntimeError("Production needs PostgreSQL: set DATABASE_URL=postgres://…")

# Static files straight from gunicorn, compressed and cache-busted (no separate file server).
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Nothing a signed-in user sees is kept by a browser or a proxy (config.middleware).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "config.middleware.NoStoreMiddleware",
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Officers share office computers: a session ends with the browser and after 8 idle hours.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"

# nginx in front: login throttling reads the client address it appends to X-Forwarded-For,
# only on requests that come from nginx's address (DJANGO_TRUSTED_PROXY_ADDRESSES, default
# 127.0.0.1 and ::1: nginx on the same server). A request reaching gunicorn from anywhere else
# is its own client, whatever X-Forwarded-For it carries.
ANTT_TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=1)

# The demo's accounts have a public password: `seed_demo` refuses to run here, even with
# --force, and the login refuses that password whatever the account (config.security).
ANTT_DEMO_ALLOWED = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)  # noqa: F405
