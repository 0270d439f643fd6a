"""Security pieces shared by the settings: the admin site's gate, the login guard against the
public demo password, and the client address used by login throttling (django-axes)."""

from __future__ import annotations

import ipaddress
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
    password was set to it). PermissionDenied stops Django from trying any other backend. It
    also loads each signed-in request's user (`get_user`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if demo_password_refused(password):
            log.warning("Refused a login with the public demo password (user %r)", username)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """A signed-in request's user, with the user's assignments, in one query
        (teams.access.user_with_assignments) instead of Django's user query followed by the
        assignments' on every page. The rest is Django's: an inactive user is refused
        (`user_can_authenticate`), and `django.contrib.auth.get_user` then checks the
        session's password hash against this user as before. (django-axes' backend, first in
        AUTHENTICATION_BACKENDS, loads no users: sessions name this one.)"""
        from teams.access import user_with_assignments

        user = user_with_assignments(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


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

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, ours or a third-party app's, is registered with the unit scoping
        of config.admin_scope in front: a province's administrator sees that province's rows;
        an admin that names no unit is for superusers."""
        from django.contrib.admin import ModelAdmin

        from config.admin_scope import UnitScopedAdmin, scoped_class

        admin_class = scoped_class(admin_class or ModelAdmin, UnitScopedAdmin)
        super().register(model_or_iterable, admin_class, **options)


def _networks(addresses) -> list:
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(str(address).strip(), strict=False))
        except ValueError:
            log.warning("DJANGO_TRUSTED_PROXY_ADDRESSES: %r is not an address, ignored", address)
    return networks


def _is_trusted_proxy(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The client's address for login throttling.

    With `ANTT_TRUSTED_PROXIES` = N reverse proxies in front (production: 1, nginx), a request
    that comes from one of `ANTT_TRUSTED_PROXY_ADDRESSES` (the proxies' own addresses) is read
    from the right of its X-Forwarded-For: each trusted proxy's entry is stepped over, up to N
    hops, and the first address that is not a trusted proxy is the client. A request from any
    other address reached the application directly: it is its own client, and whatever
    X-Forwarded-For it sends is ignored, so forging the header neither hides the address nor
    resets a lockout. Entries that are not IP addresses end the walk at the last good one."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "ANTT_TRUSTED_PROXIES", 0)
    networks = _networks(getattr(settings, "ANTT_TRUSTED_PROXY_ADDRESSES", ()))
    if not proxies or not _is_trusted_proxy(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = remote
    for _ in range(proxies):
        if not hops or not _is_trusted_proxy(client, networks):
            break
        candidate = hops.pop()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            break
        client = candidate
    return client
