"""core.views.submit: the POST → service → errors / conflict → message → redirect shape."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.views import Errors, submit


class NameForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(required=False)


class Conflict(Exception):
    def __init__(self, obj):
        self.obj = obj


class Record:
    version = 7


def post(data):
    request = RequestFactory().post("/sua/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def texts(request):
    return [str(m) for m in get_messages(request)]


def test_a_get_only_returns_the_form():
    request = RequestFactory().get("/sua/")
    form = NameForm()
    done = submit(request, form, lambda d: 1 / 0, redirect_to="/")
    assert done.form is form and done.response is None


def test_an_invalid_form_does_not_call_the_service():
    request = post({})
    done = submit(request, NameForm(request.POST), lambda d: 1 / 0, redirect_to="/")
    assert done.response is None and done.form.errors["name"]


def test_success_flashes_and_redirects_with_the_result():
    request = post({"name": "Khu 1"})
    done = submit(
        request,
        NameForm(request.POST),
        lambda d: d["name"].upper(),
        success=lambda r: f"Đã lưu {r}.",
        redirect_to=lambda r: f"/{r}/",
    )
    assert done.response.status_code == 302 and done.response.url == "/KHU%201/"
    assert done.result == "KHU 1" and texts(request) == ["Đã lưu KHU 1."]


def fail(d):
    raise ValidationError({"name": "Tên đã có.", "other": "Ngày sai."})


def test_errors_go_on_their_field_or_the_top_of_the_form():
    request = post({"name": "Khu 1"})
    done = submit(request, NameForm(request.POST), fail, redirect_to="/")
    assert done.response is None
    assert done.form.errors["name"] == ["Tên đã có."]
    assert done.form.non_field_errors() == ["Ngày sai."]


def test_errors_at_the_top_of_the_form():
    request = post({"name": "Khu 1"})
    done = submit(request, NameForm(request.POST), fail, redirect_to="/", errors=Errors.TOP_OF_FORM)
    assert done.form.non_field_errors() == ["Tên đã có.", "Ngày sai."]
    assert "name" not in done.form.errors


def test_errors_as_messages_with_or_without_a_redirect():
    request = post({"name": "Khu 1"})
    done = submit(
        request, None, fail, redirect_to="/", errors=Errors.MESSAGES, error_redirect="/ds/"
    )
    assert done.response.url == "/ds/" and texts(request) == ["Tên đã có.", "Ngày sai."]
    request = post({"name": "Khu 1"})
    done = submit(request, None, fail, redirect_to="/", errors=Errors.MESSAGES)
    assert done.response is None and len(texts(request)) == 2


def test_a_conflict_rebinds_the_users_input_to_the_newer_version():
    request = post({"name": "Khu 1", "version": "6"})

    def save(d):
        raise Conflict(Record())

    done = submit(
        request,
        NameForm(request.POST),
        save,
        redirect_to="/",
        conflict=Conflict,
        rebind=lambda data, conflict: NameForm(data),
    )
    assert done.response is None and isinstance(done.conflict, Conflict)
    assert done.form.cleaned_data == {"name": "Khu 1", "version": 7}
    assert texts(request) == []
