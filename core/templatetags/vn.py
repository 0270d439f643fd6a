"""Vietnamese display helpers, available in every template (settings: TEMPLATES builtins)."""

import datetime

from django import template
from django.utils import timezone

from core import formatting
from core.form_rendering import field_row
from core.periods import Month

register = template.Library()

register.filter("vnd", formatting.format_vnd)
register.filter("so", formatting.format_number)
register.filter("bang_chu", formatting.amount_in_words)
# a form field's row (templates/teams/_field.html), rendered by Python
register.tag("field_row", field_row)


@register.filter("ngay")
def ngay(value) -> str:
    """dd/mm/yyyy (`core.formatting.format_date`); an aware date-time is read in local time.
    Anything that is not a date (an unparsed form value) shows as nothing, like `|date`."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formatting.format_date(value) if isinstance(value, datetime.date) else ""


@register.filter("thang")
def thang(value) -> str:
    """The month of a date as mm/yyyy ("08/2024", `core.periods.Month.label`)."""
    return Month.of(value).label if isinstance(value, datetime.date) else ""
