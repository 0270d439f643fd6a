import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked another language with the switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header: many
    officers' computers run an English Windows, and the tool must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() puts the thread's previous language back afterwards, so nothing that runs
        # later on this thread (the next test, a job) inherits this user's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ReadRequestMiddleware:
    """GET, HEAD and OPTIONS requests only read: on SQLite their transaction (ATOMIC_REQUESTS)
    begins DEFERRED and takes no write lock (config/sqlite3/base.py). Nothing changes on
    PostgreSQL, whose readers never wait for writers anyway."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE:
            return self.get_response(request)
        from config.sqlite3.base import reading

        with reading():
            return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every response to a signed-in
    user: pages, spreadsheets, PDFs and background documents hold names and CCCD numbers, and
    officers share office computers and proxies, which must keep no copy. A response that set
    its own Cache-Control keeps it. On in production (config.settings.production), after the
    authentication middleware; static files (WhiteNoise, before it) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers built once per process.

    The project's policy (settings.CONTENT_SECURITY_POLICY) is the same for every response: no
    nonce (no template has inline script, tests/test_security.py) and no view changes it.
    django-csp builds the header's text anew for every response, and once more for the
    report-only header the project does not send: ~80 µs of CPU a request, 7 % of what a
    refused request (405) costs. Here both texts are django-csp's own `build_policy()`, built
    once (again when a test changes those settings) and written as django-csp writes them.
    A response that carries its own policy (django-csp's decorators) or a request that asked
    for a nonce goes through django-csp's code as it is (tests/test_csp_middleware.py)."""

    OWN_POLICY = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
    )

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in self.OWN_POLICY
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response  # django-csp leaves Django's debug pages alone
        for header, policy, exempt, prefixes in _static_policies():
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _static_policies() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, its text, the response attribute exempting it, excluded path prefixes)."""
    out = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        out.append((header, build_policy(report_only=report_only), exempt, prefixes))
    return tuple(out)


@receiver(setting_changed)
def _policy_setting_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _static_policies.cache_clear()
