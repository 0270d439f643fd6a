"""A refused request (403) is one line in the server's log, not a traceback; a server error
keeps its traceback."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory


def refused_records(caplog, exception):
    request = RequestFactory().post("/don-vi/1/chuyen-giao/")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = response_for_exception(request, exception)
    return response, [r for r in caplog.records if r.name == "django.request"]


def test_a_403_is_logged_as_one_line(caplog):
    response, records = refused_records(caplog, PermissionDenied("Không có quyền"))
    assert response.status_code == 403
    [record] = records
    assert record.getMessage() == "Forbidden (Permission denied): /don-vi/1/chuyen-giao/"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback(caplog, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    try:
        raise ValueError("hỏng")
    except ValueError as error:
        response, records = refused_records(caplog, error)
    assert response.status_code == 500
    assert records and records[-1].exc_info is not None
