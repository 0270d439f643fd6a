"""Form helpers every app uses: typed dates and months, and putting a service's errors back on
the form. Forms only parse what was typed; the rules are applied by the services, whose
`ValidationError`s `attach_errors` puts next to the field they are about.

Dates are typed dd/mm/yyyy in a text box rather than a browser date picker: many officers run
an English Windows, where the picker would show mm/dd/yyyy.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rules.dates import DATE_FORMAT

from .periods import Month, PeriodParseError

#: What a typed date may look like: dd/mm/yyyy first, then the forms people also type.
DATE_INPUT_FORMATS = (DATE_FORMAT, "%d-%m-%Y", "%Y-%m-%d")


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, field-keyed or not, for flash messages."""
    return [
        m
        for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values()
        for m in messages_
    ]


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else
    at the top of the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DateField(forms.DateField):
    widget = forms.DateInput(
        format=DATE_FORMAT,
        attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "date"},
    )
    default_error_messages = {"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/07/2024.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(input_formats=list(DATE_INPUT_FORMATS), **kwargs)


class MonthField(forms.CharField):
    """A month typed mm/yyyy (also accepts yyyy-mm), cleaned to its first day."""

    widget = forms.TextInput(
        attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "class": "month"}
    )
    default_error_messages = {"invalid": _("Nhập tháng theo dạng tháng/năm, ví dụ 08/2024.")}

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        try:
            return Month.parse(value).first_day
        except PeriodParseError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return Month.of(value).label if isinstance(value, datetime.date) else value


def blank(choices, label="—"):
    """A choice list with an empty first choice ("—", or "Mọi chức danh" for a filter)."""
    return [("", label), *choices]
