"""config.middleware.ContentSecurityPolicyMiddleware: django-csp's headers, built once.

Whatever the shortcut, a response carries exactly the header django-csp would write, and the
cases that are not the project's one static policy (a view's own policy, a nonce, an exempt
response, changed settings) go through django-csp's own code."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.middleware import ContentSecurityPolicyMiddleware


def both(make_response, request_path="/", before=None):
    """The headers of our middleware's response and of django-csp's own, for one response."""
    out = []
    for middleware in (ContentSecurityPolicyMiddleware, CSPMiddleware):
        request = RequestFactory().get(request_path)
        m = middleware(lambda r: HttpResponse())
        m.process_request(request)
        if before:
            before(request)
        response = m.process_response(request, make_response())
        out.append(
            (response.headers.get(HEADER), response.headers.get(HEADER_REPORT_ONLY), request)
        )
    return out


def test_the_static_policy_is_django_csps_own_text():
    ours, theirs = both(HttpResponse)
    assert ours[:2] == theirs[:2]
    assert "script-src 'self'" in ours[0] and "frame-ancestors 'none'" in ours[0]
    assert ours[1] is None  # the project sends no report-only header


def test_changed_settings_change_the_header():
    policy = {"DIRECTIVES": {"default-src": [NONE], "img-src": [SELF]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        ours, theirs = both(HttpResponse)
        assert ours[:2] == theirs[:2]
        for header in ours[:2]:
            assert sorted(header.split("; ")) == ["default-src 'none'", "img-src 'self'"]
    ours, _theirs = both(HttpResponse)
    assert "script-src 'self'" in ours[0]


def test_a_views_own_policy_and_an_exempt_response_are_django_csps():
    def updated():
        response = HttpResponse()
        response._csp_update = {"img-src": ["https://tiles.example.vn"]}
        return response

    def exempt():
        response = HttpResponse()
        response._csp_exempt = True
        return response

    def own_header():
        response = HttpResponse()
        response[HEADER] = "default-src 'none'"
        return response

    for make in (updated, exempt, own_header):
        ours, theirs = both(make)
        assert ours[:2] == theirs[:2], make.__name__
    assert "https://tiles.example.vn" in both(updated)[0][0]
    assert both(exempt)[0][0] is None
    assert both(own_header)[0][0] == "default-src 'none'"


def test_a_nonce_asked_for_is_in_the_header_and_none_after_it():
    policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        ours, _theirs = both(HttpResponse, before=lambda request: str(request.csp_nonce))
    assert f"'nonce-{ours[2]._csp_nonce}'" in ours[0]
    # asked for after the header is written: django-csp's error, as before
    ours, _theirs = both(HttpResponse)
    with pytest.raises(Exception, match="csp_nonce"):
        str(ours[2].csp_nonce)


def test_excluded_prefixes_are_left_without_the_header():
    policy = {"EXCLUDE_URL_PREFIXES": ["/bao-cao-csp/"], "DIRECTIVES": {"default-src": [SELF]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        ours, theirs = both(HttpResponse, request_path="/bao-cao-csp/x")
        assert ours[0] is None and theirs[0] is None
        assert both(HttpResponse, request_path="/khac/")[0][0] == "default-src 'self'"
