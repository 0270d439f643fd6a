"""What the roster pages share: the commune page's context, and the form submission that
knows roster records carry a version (an edit over a newer one is an EditConflict)."""

from __future__ import annotations

from functools import partial

from django.utils import timezone

from core.views import submit

from .. import selectors, services


def _context(request, commune, **extra):
    return {**selectors.unit_page(unit=commune), "today": timezone.localdate(), **extra}


def _rebind(form_class, **form_kwargs):
    """After an edit conflict: the same form, bound to the officer's input and the newer
    version (core.views.submit)."""
    return lambda data, _conflict: form_class(data, **form_kwargs)


# Roster records carry a version: a save over someone else's newer one is an EditConflict.
_submit = partial(submit, conflict=services.EditConflict)
