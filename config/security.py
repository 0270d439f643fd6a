"""Security pieces shared by the settings: the admin site's gate, the login guard against the
public demo password, and the client address used by login throttling (django-axes)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

log = logging.getLogger("antt.security")

# The demo accounts' password is printed in the README: it must never open a real server.
DEMO_PASSWORD = "demo-antt-2026"


def demo_password_refused(password: str | None) -> bool:
    """Whether this password is refused: the public demo password when DEBUG is off."""
    return not settings.DEBUG and password == DEMO_PASSWORD


class DemoPasswordGuardBackend(ModelBackend):
    """Django's model backend, except that the public demo password never logs anyone in when
    DEBUG is off (a production server where `seed_demo` was run by mistake, or an account whose
    password was set to it). PermissionDenied stops Django from trying any other backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if demo_password_refused(password):
            log.warning("Refused a login with the public demo password (user %r)", username)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def may_use_admin(user) -> bool:
    """The admin (/quan-tri/) is for active staff accounts that also hold an administrator
    assignment: the staff flag alone (or a stray superuser flag) is not enough."""
    from teams.models import Role

    return bool(
        user.is_active
        and user.is_staff
        and user.assignments.filter(role=Role.ADMINISTRATOR).exists()
    )


class AnttAdminSite(admin.AdminSite):
    site_header = "ANTT Teams — Quản trị"
    site_title = "ANTT Teams"

    def has_permission(self, request):
        return super().has_permission(request) and may_use_admin(request.user)


def client_ip(request) -> str:
    """The client's address for login throttling. Behind `ANTT_TRUSTED_PROXIES` reverse proxies
    (production: 1, nginx) it is the address the nearest proxy saw, from X-Forwarded-For; a
    client cannot spoof it by sending its own header, because only the entries the trusted
    proxies appended are read."""
    proxies = getattr(settings, "ANTT_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
