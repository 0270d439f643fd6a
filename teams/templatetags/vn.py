"""Vietnamese display helpers, available in every template (settings: TEMPLATES builtins)."""

from django import template

from teams import formatting

register = template.Library()

register.filter("vnd", formatting.format_vnd)
register.filter("so", formatting.format_number)
register.filter("bang_chu", formatting.amount_in_words)
