"""config.sessions: Django's database sessions, read with one plain statement."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_reads_back_in_one_statement():
    key = saved(_auth_user_id="7", note="chào")
    store = SessionStore(key)
    with CaptureQueriesContext(connection) as queries:
        assert store.load() == {"_auth_user_id": "7", "note": "chào"}
    assert len(queries) == 1
    assert store.session_key == key
    # the same as Django's own store reads
    assert DjangoStore(key).load() == store.load()


@pytest.mark.parametrize(
    "key", [None, "short", "a-key-that-was-never-saved", "x' OR '1'='1' --------"]
)
def test_no_such_session_is_empty_and_its_key_dropped(key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_is_empty_and_its_key_dropped():
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    assert DjangoStore(key).load() == {}


def test_a_tampered_session_is_empty():
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(session_data="not-signed:by-us")
    assert SessionStore(key).load() == {}
