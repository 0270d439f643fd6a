"""Django's form widgets, rendered with fewer templates and the same HTML (settings.FORM_RENDERER).

Django renders a widget as a chain of tiny templates: a text box is ``text.html``, which
includes ``input.html``, which includes ``attrs.html``; a select includes ``select_option.html``
and ``attrs.html`` once per option; a radio button goes through four. The roster's member form
(54 ethnicities, 9 education levels, radio buttons) rendered ~270 templates per page, and half
of the page's time went into template includes, not into the page.

`FormRenderer` is Django's own renderer (same engine, same filters, same escaping) with
``core/form_templates`` in front of Django's widget templates: there, ``input.html``,
``textarea.html``, ``select.html`` and ``multiple_input.html`` carry the text of the templates
they include, written out in place, character for character (tests/core/test_form_rendering.py
compares every widget with Django's rendering). An option whose template is not Django's
default (a widget that sets ``option_template_name``) is still included as before. The
one-line templates that only include ``input.html`` or ``multiple_input.html`` (``text.html``,
``radio.html``, …) are served as the template they include: what they add is the file's final
newline, which the renderer strips from every widget anyway (`BaseRenderer.render`).

The four widget templates that every form page renders dozens of times (``input.html``,
``textarea.html``, ``select.html``, ``multiple_input.html``: text boxes, selects with their
options, radio buttons and checkboxes) are also written out as Python (`PYTHON`), which builds
the same string the template would, with the template language's own conversions: a
``{{ value }}`` goes through `render_value_in_context` (localisation, then escaping), a
``{{ value|stringformat:'s' }}`` through Django's `stringformat` filter first, ``{% if %}`` is
Python's truthiness and ``!=`` the template's (an exception is false). The template still renders
whatever the Python does not reproduce exactly: a widget dict without one of the keys the
template reads (the template would print nothing), a value the template would call (a callable),
attributes that are not a plain dict or have a key named ``items`` (the template would look that
key up instead of the method), an option with its own template. The member form's POST with
errors went from ~20 template renders to none; the selects' options (54 ethnicities) were most
of its rendering.

A third-party renderer (django-widget-tweaks, a Jinja2 renderer) would change the templates'
language or the HTML; this keeps both and only skips the includes.
"""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Any

import django.forms
from django import template
from django.forms import BaseForm, BoundField
from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import stringformat
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"

#: Django's widget templates whose whole text is one include of another widget template.
SAME_AS = {
    **{
        f"{WIDGETS}{name}.html": f"{WIDGETS}input.html"
        for name in (
            "checkbox",
            "color",
            "date",
            "datetime",
            "email",
            "file",
            "hidden",
            "number",
            "password",
            "search",
            "tel",
            "text",
            "time",
            "url",
        )
    },
    f"{WIDGETS}radio.html": f"{WIDGETS}multiple_input.html",
    f"{WIDGETS}checkbox_select.html": f"{WIDGETS}multiple_input.html",
}


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )

    def get_template(self, template_name):
        return self.engine.get_template(SAME_AS.get(template_name, template_name))

    def render(self, template_name, context, request=None):
        name = SAME_AS.get(template_name, template_name)
        python = PYTHON.get(name)
        if python is not None and request is None:
            try:
                return python(context["widget"]).strip()
            except _AsTemplate:
                pass
        return self.engine.get_template(name).render(context, request=request).strip()


# --- The four templates in Python ---------------------------------------------------------

# What the templates render in: the context the backend makes for a widget (autoescape on,
# localisation and time zone as the settings say).
_CONTEXT = Context(autoescape=True)


class _AsTemplate(Exception):
    """This widget is one the Python does not reproduce exactly: let the template render it."""


def _get(mapping: dict, key: str):
    """``{{ mapping.key }}``'s lookup, for the values the Python renders exactly."""
    try:
        value = mapping[key]
    except (KeyError, TypeError) as e:
        raise _AsTemplate from e
    if callable(value):
        raise _AsTemplate  # the template would call it
    return value


def _text(value) -> str:
    """``{{ value }}``"""
    return render_value_in_context(value, _CONTEXT)


def _s(value) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe string safe: is_safe=True)."""
    formatted = stringformat(value, "s")
    if isinstance(value, SafeData):
        formatted = mark_safe(formatted)
    return render_value_in_context(formatted, _CONTEXT)


def _attrs(widget: dict) -> str:
    """Django's ``attrs.html``."""
    attrs = _get(widget, "attrs")
    if type(attrs) is not dict or "items" in attrs:
        raise _AsTemplate
    out = []
    for name, value in attrs.items():
        if callable(value) or callable(name):
            raise _AsTemplate
        if value is not False:
            out.append(" " + _text(name))
            if value is not True:
                out.append('="' + _s(value) + '"')
    return "".join(out)


def _not_none(value) -> bool:
    """``{% if value != None %}``: the template's ``!=``, false when the comparison raises."""
    try:
        return bool(operator.ne(value, None))
    except Exception:
        return False


def _input(widget: dict) -> str:
    value = _get(widget, "value")
    return (
        f'<input type="{_text(_get(widget, "type"))}" name="{_text(_get(widget, "name"))}"'
        + (f' value="{_s(value)}"' if _not_none(value) else "")
        + _attrs(widget)
        + ">\n"
    )


def _textarea(widget: dict) -> str:
    value = _get(widget, "value")
    return (
        f'<textarea name="{_text(_get(widget, "name"))}"{_attrs(widget)}>\n'
        + (_text(value) if value else "")
        + "</textarea>\n"
    )


def _optgroups(widget: dict):
    for group_name, options, _index in _get(widget, "optgroups"):
        if callable(group_name):
            raise _AsTemplate
        yield group_name, options


SELECT_OPTION = f"{WIDGETS}select_option.html"
INPUT_OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(_get(widget, "name"))}"{_attrs(widget)}>']
    for group_name, options in _optgroups(widget):
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if _get(option, "template_name") != SELECT_OPTION:
                raise _AsTemplate
            out.append(
                f'\n  <option value="{_s(_get(option, "value"))}"{_attrs(option)}>'
                f"{_text(_get(option, 'label'))}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _multiple_input(widget: dict) -> str:
    attrs = _get(widget, "attrs")
    _attrs(widget)  # the checks of a plain dict of attributes
    widget_id = attrs.get("id", "")
    widget_class = attrs.get("class")
    if callable(widget_id) or callable(widget_class):
        raise _AsTemplate
    out = [
        "<div"
        + (f' id="{_text(widget_id)}"' if widget_id else "")
        + (f' class="{_text(widget_class)}"' if widget_class else "")
        + ">"
    ]
    for group, options in _optgroups(widget):
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if _get(option, "template_name") not in INPUT_OPTIONS:
                raise _AsTemplate
            wrap_label = _get(option, "wrap_label")
            option_attrs = _get(option, "attrs")
            _attrs(option)
            option_id = option_attrs.get("id")
            if callable(option_id):
                raise _AsTemplate
            label = _get(option, "label") if wrap_label else None
            out.append(
                "<div>\n    "
                + (
                    "<label" + (f' for="{_text(option_id)}"' if option_id else "") + ">"
                    if wrap_label
                    else ""
                )
                + _input(option)
                + (f" {_text(label)}</label>" if wrap_label else "")
                + "\n\n</div>"
            )
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


#: Widget templates (after `SAME_AS`) rendered by Python, and the functions that render them.
PYTHON = {
    f"{WIDGETS}input.html": _input,
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}multiple_input.html": _multiple_input,
}


# --- A form field's row (templates/teams/_field.html) -------------------------------------


class FieldRowNode(template.Node):
    """``{% field_row %}…{% endfield_row %}`` around the text of ``teams/_field.html``, the row
    of every form field of the app (label, widget, help text, errors; 78 includes): the same
    text built in Python, with the template's lookups and conversions, or the template between
    the tags when the context is not the one the Python reads exactly (no bound field, a form
    with a field named ``required_fields``, a value the template would call). Rendering the
    row's nodes cost about as much as rendering its widget."""

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        try:
            return _field_row(context)
        except _AsTemplate:
            return self.nodelist.render(context)


def _context_value(context, name: str):
    """``{{ name }}``'s lookup in the context (None when missing, as an ``{% if %}`` reads
    it)."""
    try:
        value = context[name]
    except KeyError:
        return None
    if callable(value):
        raise _AsTemplate
    return value


def _field_row(context) -> str:
    field = _context_value(context, "field")
    if not isinstance(field, BoundField):
        raise _AsTemplate
    form = _context_value(context, "form")
    required_fields: Any = None  # ``form.required_fields`` where it does not exist
    if form is not None:
        if not isinstance(form, BaseForm) or "required_fields" in form.fields:
            raise _AsTemplate  # the template would find a bound field first
        required_fields = getattr(form, "required_fields", None)
        if callable(required_fields):
            raise _AsTemplate
    wide = _context_value(context, "wide")

    def text(value) -> str:
        return render_value_in_context(value, context)

    errors = field.errors
    name = field.name
    label = field.label
    help_text = field.help_text
    if callable(label) or callable(help_text):
        raise _AsTemplate
    try:
        required = name in required_fields  # the template's ``in``: false when it raises
    except Exception:
        required = False
    out = [
        '<div class="field',
        " has-error" if errors else "",
        " required" if required else "",
        " wide" if wide else "",
        f'" id="f-{text(name)}">\n  ',
    ]
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        out.append(f"\n  <fieldset><legend>{text(label)}</legend>{text(field)}</fieldset>\n  ")
    else:
        out.append(
            f'\n  <label for="{text(field.id_for_label)}">{text(label)}</label>\n  '
            f"{text(field)}\n  "
        )
    out.append("\n  ")
    if help_text:
        out.append(
            f'<small class="help" id="{text(field.auto_id)}_helptext">{text(help_text)}</small>'
        )
    out.append("\n  ")
    out.extend(f'<p class="field-error">{text(error)}</p>' for error in errors)
    out.append("\n</div>")
    return "".join(out)


def field_row(parser, token):
    nodelist = parser.parse(("endfield_row",))
    parser.delete_first_token()
    return FieldRowNode(nodelist)
