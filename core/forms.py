"""Form helpers every app uses: typed dates and months, and putting a service's errors back on
the form. Forms only parse what was typed; the rules are applied by the services, whose
`ValidationError`s `attach_errors` puts next to the field they are about.

Dates are typed dd/mm/yyyy in a text box rather than a browser date picker: many officers run
an English Windows, where the picker would show mm/dd/yyyy.

Every form of the apps derives from `Form` or `ModelForm` below (tests/test_architecture.py
checks it), whose `full_clean` first calls `fit_database` on the form's fields, fields added in
`__init__` included. That is the one place that keeps typed values inside what the database and
the calendar hold, so no form has to remember it:

- numbers (`IntegerField`, `DecimalField`) without a bound of their own are bounded to
  ±`INT_MAX`, the smallest integer column a typed number goes to (PostgreSQL's integer);
  money fields say `max_value=MAX_AMOUNT` (it fits a bigint). Before this, `10^20` reached
  SQLite and answered 500 ("Python int too large to convert to SQLite INTEGER");
- a model choice (`ModelChoiceField`, `ModelMultipleChoiceField`) whose typed id no integer
  column holds is an invalid choice, before the query that would overflow;
- dates (`forms.DateField`, `MonthField`) lie in `PLAUSIBLE_DATES` (01/01/1900–31/12/2100):
  0001-01-01 or 9999-12-31 on a certificate or a course is a typing error, and
  `check_plausible_date` says so in the same words for the roster's Excel import.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from rules.dates import DATE_FORMAT, format_date

from .formatting import format_number
from .periods import Month, PeriodParseError

#: The largest number a typed integer may hold (PostgreSQL's integer; SQLite holds more).
INT_MAX = 2_147_483_647
#: The largest id a model choice may name (bigint, what every primary key here fits in).
BIGINT_MAX = 9_223_372_036_854_775_807
#: The bound of a typed amount of money in đồng (a thousand billion: far above any budget line,
#: far inside a bigint).
MAX_AMOUNT = 10**15
#: The dates a person may type: before or after these is a typing error.
PLAUSIBLE_DATES = (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))

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


# --- Keeping typed values inside what the database and the calendar hold ----------------------


class _Max(MaxValueValidator):
    message = _("Số quá lớn: nhập số không quá %(limit)s.")

    def __call__(self, value):
        if self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code="max_value", params={"limit": format_number(self.limit_value)}
            )


class _Min(MinValueValidator):
    message = _("Số quá nhỏ: nhập số không dưới %(limit)s.")

    def __call__(self, value):
        if self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code="min_value", params={"limit": format_number(self.limit_value)}
            )


def check_plausible_date(value: datetime.date | None) -> None:
    """Raise a ValidationError naming the range when `value` lies outside PLAUSIBLE_DATES."""
    if value is None:
        return
    low, high = PLAUSIBLE_DATES
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not low <= value <= high:
        raise ValidationError(
            _("Ngày %(value)s không hợp lý: nhập ngày từ %(low)s đến %(high)s."),
            code="implausible_date",
            params={
                "value": f"{value.day:02d}/{value.month:02d}/{value.year:04d}",
                "low": format_date(low),
                "high": format_date(high),
            },
        )


def _fits_key(value) -> bool:
    """A typed id is no larger than an integer column holds (text ids are Django's to judge)."""
    try:
        return abs(int(str(value).strip())) <= BIGINT_MAX
    except ValueError:
        return True


class _FittingModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _fits_key(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class _FittingModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple | set | frozenset) else ():
            if not _fits_key(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)  # type: ignore[misc]


def fit_database(fields) -> None:
    """Bound the form fields in `fields` (a form's `fields`) to what the database and the
    calendar hold; see the module docstring. Idempotent: a field is fitted once."""
    for field in fields.values():
        if getattr(field, "fits_database", False):
            continue
        field.fits_database = True
        if isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
            if field.max_value is None:  # a field's own bound (MAX_AMOUNT, 366 days…) stands
                field.validators.append(_Max(INT_MAX))
            if field.min_value is None:
                field.validators.append(_Min(-INT_MAX - 1))
        elif isinstance(field, forms.DateField | MonthField):
            field.validators.append(check_plausible_date)
        elif type(field) is forms.ModelChoiceField:
            field.__class__ = _FittingModelChoiceField
        elif type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = _FittingModelMultipleChoiceField


class FitsDatabase:
    """Mixin: `fit_database` on every field before the form cleans what was typed."""

    fields: dict

    def full_clean(self):
        fit_database(self.fields)
        super().full_clean()  # type: ignore[misc]


class Form(FitsDatabase, forms.Form):
    """The base of every form of the apps."""


class ModelForm(FitsDatabase, forms.ModelForm):
    """The base of every model form of the apps."""


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
