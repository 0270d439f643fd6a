from django.conf import settings
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
