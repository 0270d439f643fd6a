"""Bad input on every form of the app: never a 500 (issue 16 §4).

For every URL pattern of tests/access_registry.py that accepts a POST, the unit's own officer
whose role may write there opens the page, reads the names of its form's fields, and posts
each field filled with what a fuzzer or a slip of the finger sends: a number no database column
holds (10^20), implausible dates (01/01/0001, 31/12/9999), a string of 5,000 digits. The answer
is a page or a redirect (400, 403, 404, 405 or 409 allowed), never a 500; what the form refuses
is said on the form. URLs with an id no column holds answer 404.

The data is the access audit's (tests/test_access_audit.py, fixture `audit`).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_registry import GET, POST, REGISTRY
from tests.test_access_audit import (
    PERSONAS,
    audit,
    client_for,
    pdf_layout_stand_in,
    persona_perms,
    quiet_request_log,
    templates_without_contexts,
    urls_for,
)

__all__ = ["audit", "pdf_layout_stand_in", "quiet_request_log", "templates_without_contexts"]

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "huge": "100000000000000000000",
    "ancient": "01/01/0001",
    "far": "31/12/9999",
    "digits": "9" * 5000,
}
SKIPPED = {"csrfmiddlewaretoken", "next"}


class FieldNames(HTMLParser):
    """The names of the fields of the page's forms that post (not the language switch)."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self.in_post = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_post = (a.get("method") or "").lower() == "post" and "ngon-ngu" not in (
                a.get("action") or ""
            )
        elif (
            self.in_post
            and tag in {"input", "select", "textarea"}
            and a.get("name") not in {None, *SKIPPED}
            and a.get("type") not in {"submit", "file", "button"}
        ):
            self.names.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post = False


def writer_for(audit, entry) -> str | None:
    """A persona of unit A whose role may write through the entry."""
    for username, (own, _foreign) in PERSONAS.items():
        if own == "A" and (not entry.write or entry.write & persona_perms(audit, username)):
            return username
    return None


# The field names of a page, read once for all four kinds of bad value (the page is the same
# for each: every kind starts from the audit's data, rolled back after each test).
_FIELD_NAMES: dict[tuple[int, str], list[str]] = {}


def field_names(client, url) -> list[str]:
    key = (int(client.session["_auth_user_id"]), url)
    if key not in _FIELD_NAMES:
        parser = FieldNames()
        parser.feed(client.get(url).content.decode())
        _FIELD_NAMES[key] = sorted(set(parser.names))
    return _FIELD_NAMES[key]


@pytest.mark.parametrize("kind", sorted(BAD_VALUES))
def test_no_form_answers_500_to_bad_values(audit, kind):
    bad = BAD_VALUES[kind]
    side = audit.sides["A"]
    problems, tried = [], 0
    clients: dict[str, Client] = {}  # one signed-in client per writer, for all its forms
    for name, entry in REGISTRY.items():
        if POST not in entry.methods:
            continue
        username = writer_for(audit, entry)
        if username is None:
            continue
        if username not in clients:
            clients[username] = client_for(audit, username)
            clients[username].raise_request_exception = False
        client = clients[username]
        for url in urls_for(name, side)[:1] if entry.kwargs else [reverse(name)]:
            names = field_names(client, url) if GET in entry.methods else []
            base = entry.data(side)
            for field in sorted(set(names) | set(base)):
                tried += 1
                status = client.post(url, {**base, field: bad}).status_code
                if status >= 500:
                    problems.append(f"POST {url} ({name}) {field}={bad[:25]} → {status}")
    assert tried > 50
    assert not problems, "\n".join(problems)


def test_ids_no_column_holds_are_not_found(audit):
    side = audit.sides["A"]
    client = client_for(audit, "canbo_xa1")
    client.raise_request_exception = False
    problems = []
    for name, entry in REGISTRY.items():
        if entry.kwargs is None or GET not in entry.methods:
            continue
        kwargs = entry.kwargs(side)
        kwargs = kwargs[0] if isinstance(kwargs, list) else kwargs
        url = reverse(name, kwargs={**kwargs, "pk": 10**20})
        status = client.get(url).status_code
        if status != 404:
            problems.append(f"GET {url} ({name}) → {status}")
    assert not problems, "\n".join(problems)
