from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from .access import ROLE_PERMISSIONS, Perm, user_assignments


def navigation(request) -> dict:
    """The permissions the user holds anywhere, for the main menu (one cached query), and the
    addresses base.html links to on every page (`base_urls`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_perms": frozenset(), "base_urls": base_urls()}
    if user.is_superuser:
        return {"nav_perms": frozenset(Perm), "base_urls": base_urls()}
    perms: set[Perm] = set()
    for assignment in user_assignments(user):
        perms |= ROLE_PERMISSIONS[assignment.role]
    return {"nav_perms": frozenset(perms), "base_urls": base_urls()}


# The pages of base.html's header and menu, by the name base.html gives them.
BASE_PAGES = {
    "home": "home",
    "set_language": "set-language",
    "logout": "logout",
    "inbox": "inbox",
    "inbox_count": "inbox-count",
    "allowance_queue": "allowance-queue",
    "insurance_queue": "insurance-queue",
    "reports_home": "reports-home",
    "rules_calculator": "rules-calculator",
    "parameter_trial": "parameter-trial",
    "admin": "admin:index",
}
_base_urls: dict[tuple, dict[str, str]] = {}


def base_urls() -> dict[str, str]:
    """The addresses of `BASE_PAGES`, reversed once for each URL configuration, script prefix
    and language they can depend on, instead of eleven `{% url %}` tags on every page (a
    quarter of what a 404 page costs to render)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())
    urls = _base_urls.get(key)
    if urls is None:
        urls = _base_urls[key] = {page: reverse(name) for page, name in BASE_PAGES.items()}
    return urls
