"""The one shape of a page that changes something: POST → form → service → (its
ValidationError back on the form, or a newer version saved by someone else) → message →
redirect. Views call `submit` and only say what differs: which service, which message, where
to go next.

Written here rather than taken from Django's `FormView`: the service, not the form, does the
saving and checking, and the page around the form (the unit, its breadcrumbs, a conflict box)
is built by the view with the access helper's object, which class-based views would spread
over several overridden methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

from .forms import attach_errors, error_messages


class Errors(Enum):
    """Where a service's ValidationError is shown."""

    ON_FORM = "on_form"  # on the field it names, else at the top of the form
    TOP_OF_FORM = "top_of_form"  # every message at the top of the form
    MESSAGES = "messages"  # as flash messages, on the page `error_redirect` leads to if given


@dataclass
class Submission[T]:
    """What became of a POST. `response` is set when the view should return it (the redirect);
    otherwise the view renders its page again with `form` (bound, with the errors) and, after
    a conflict, the `conflict` (what the other person changed)."""

    form: Any
    response: HttpResponse | None = None
    conflict: Exception | None = None
    result: T | None = None


def submit[T](
    request: HttpRequest,
    form: forms.BaseForm | None,
    save: Callable[[dict[str, Any]], T],
    *,
    redirect_to: str | Callable[[T], str],
    success: str | Callable[[T], str] | None = None,
    errors: Errors = Errors.ON_FORM,
    error_redirect: str | None = None,
    conflict: type[Exception] | tuple[type[Exception], ...] = (),
    rebind: Callable[[QueryDict, Any], forms.BaseForm] | None = None,
) -> Submission[T]:
    """Run `save(form.cleaned_data)` when the request is a POST and the form is valid.

    On success: flash `success` (a text, or made from the service's result) and redirect to
    `redirect_to`. On a `ValidationError`: show it as `errors` says. On a `conflict` (an
    exception carrying the newer record as `.obj`, like teams.services.EditConflict): rebuild
    the form with `rebind(data, conflict)` from the user's own input and the newer version, so
    that saving again is a deliberate choice after seeing what the other person changed.

    `form=None` is a POST without a form (a delete button): `save` receives `{}`.
    """
    if request.method != "POST" or (form is not None and not form.is_valid()):
        return Submission(form)
    try:
        result = save(form.cleaned_data if form is not None else {})
    except conflict as exc:
        data = request.POST.copy()
        data["version"] = str(exc.obj.version)  # type: ignore[attr-defined]
        rebound = rebind(data, exc) if rebind else form
        if rebound is not None:
            rebound.is_valid()
        return Submission(rebound, conflict=exc)
    except ValidationError as exc:
        if errors is Errors.MESSAGES:
            for message in error_messages(exc):
                messages.error(request, message)
            if error_redirect:
                return Submission(form, response=HttpResponseRedirect(error_redirect))
            return Submission(form)
        if form is None:
            raise
        if errors is Errors.TOP_OF_FORM:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            attach_errors(form, exc)
        return Submission(form)
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    url = redirect_to(result) if callable(redirect_to) else redirect_to
    return Submission(form, response=HttpResponseRedirect(url), result=result)
