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

A third-party renderer (django-widget-tweaks, a Jinja2 renderer) would change the templates'
language or the HTML; this keeps both and only skips the includes.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

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
