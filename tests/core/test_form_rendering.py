"""core.form_rendering: every widget renders the same HTML as with Django's own renderer, and
the roster's member form from far fewer templates."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms import widgets as w
from django.forms.renderers import DjangoTemplates
from django.test.signals import template_rendered
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.form_rendering import SAME_AS, FormRenderer

CHOICES = [
    ("", "---------"),
    ("a", "A & B"),
    ("b", mark_safe("<b>B</b>")),
    ("Nhóm <1>", [(1, "một"), (2, "hai")]),
    (10_000, 10_000),
]


class CustomOption(w.Select):
    option_template_name = "django/forms/widgets/input.html"  # not select_option.html


WIDGETS = [
    w.TextInput(attrs={"placeholder": 'say "hi" <now>', "required": True, "disabled": False}),
    w.NumberInput(attrs={"min": 0, "step": "any"}),
    w.EmailInput(),
    w.URLInput(),
    w.PasswordInput(render_value=True),
    w.HiddenInput(),
    w.DateInput(format="%d/%m/%Y"),
    w.TimeInput(),
    w.CheckboxInput(),
    w.Textarea(attrs={"rows": 3}),
    w.FileInput(),
    w.ClearableFileInput(),
    w.Select(choices=CHOICES, attrs={"class": "wide", "data-on": True, "data-off": False}),
    w.SelectMultiple(choices=CHOICES),
    w.NullBooleanSelect(),
    w.RadioSelect(choices=CHOICES, attrs={"class": "inline"}),
    w.CheckboxSelectMultiple(choices=CHOICES),
    w.SelectDateWidget(years=[2024, 2025]),
    w.SplitDateTimeWidget(),
    w.MultipleHiddenInput(),
    CustomOption(choices=CHOICES),
    # what core.form_rendering's Python leaves to the template: a key named "items" among the
    # attributes, a value the template calls; and lazy and localised labels, which it renders
    w.TextInput(attrs={"items": [("data-k", "v")], "data-n": 1_000_000}),
    w.Select(choices=[("a", gettext_lazy("Nam")), ("b", lambda: "gọi"), (1_000_000, 1_000_000)]),
    w.RadioSelect(choices=[("a", gettext_lazy("Nữ")), (1_000_000, 1_000_000)]),
    w.RadioSelect(choices=[("a", "A")], attrs={"class": lambda: "gọi"}),
]
VALUES = [None, "", "a", 1, ["a", 1, "10000"], '"><script>', datetime.date(2024, 8, 1)]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
def test_every_widget_renders_as_with_djangos_renderer(widget):
    django_renderer, ours = DjangoTemplates(), FormRenderer()
    rendered = 0
    for value in VALUES:
        for attrs in (None, {"id": "id_f"}):
            try:
                expected = widget.render("f", value, attrs=attrs, renderer=django_renderer)
            except (TypeError, ValueError, AttributeError):
                continue  # a value this widget does not take (an int for a list of values)
            assert widget.render("f", value, attrs=attrs, renderer=ours) == expected, value
            rendered += 1
    assert rendered >= 4


def test_the_one_line_templates_are_what_they_include():
    """SAME_AS serves a template as the one it includes: true only while Django's text of it
    is exactly that include."""
    engine = DjangoTemplates().engine
    for name, target in SAME_AS.items():
        source = engine.get_template(name).template.source
        assert source.strip() == '{% include "' + target + '" %}', name


@pytest.mark.django_db
def test_the_member_form_renders_the_same_from_a_few_templates():
    from teams.forms import MemberAddForm

    form = MemberAddForm(data={"full_name": "9" * 50, "ethnicity": "kinh", "sex": "nu"})
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        ours = {name: str(form[name]) for name in form.fields}
    finally:
        template_rendered.disconnect(count)
    # no template: its text boxes, selects and radio buttons are rendered by the Python of
    # core.form_rendering (Django's renderer: ~270 templates for this form)
    assert not rendered, sorted(set(rendered))
    form.renderer = DjangoTemplates()
    for name in form.fields:
        assert ours[name] == str(form[name]), name


# An ordinary form renders the same through its bound fields as well.
class Sample(forms.Form):
    name = forms.CharField(max_length=10)
    kind = forms.ChoiceField(choices=CHOICES[1:3])
    many = forms.MultipleChoiceField(choices=CHOICES[1:3], widget=w.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=CHOICES[1:3], widget=w.RadioSelect)


def test_a_bound_form_with_errors_renders_the_same():
    form = Sample(data={"name": "x" * 20, "kind": "zz", "many": ["a", "zz"], "one": "b"})
    form.is_valid()
    ours = {name: str(form[name]) for name in form.fields}
    form.renderer = DjangoTemplates()
    for name in form.fields:
        assert ours[name] == str(form[name]), name


class Rows(forms.Form):
    required_fields = ("name", "one")

    name = forms.CharField(max_length=3, label="Tên <đầy đủ>", help_text="Như trên CCCD & hộ chiếu")
    kind = forms.ChoiceField(choices=CHOICES[1:3], label=mark_safe("<b>Loại</b>"))
    many = forms.MultipleChoiceField(choices=CHOICES[1:3], widget=w.CheckboxSelectMultiple)
    one = forms.ChoiceField(
        choices=CHOICES[1:3], widget=w.RadioSelect, help_text=mark_safe("<i>1</i>")
    )
    on = forms.DateField(label=gettext_lazy("Ngày"), required=False)


class FieldNamedRequiredFields(forms.Form):
    required_fields = forms.CharField()


def test_a_field_row_renders_as_its_template():
    """teams/_field.html's Python (core.form_rendering.FieldRowNode) against the template text
    between its tags, for bound and unbound fields, with and without the form and `wide`, and
    where the Python leaves the row to the template."""
    from django.template import Context
    from django.template.loader import get_template

    from core.form_rendering import FieldRowNode, _AsTemplate, _field_row

    template = get_template("teams/_field.html").template
    (node,) = [n for n in template.nodelist if isinstance(n, FieldRowNode)]

    def nodes(context):
        with context.bind_template(template):
            return node.nodelist.render(context)

    def python(context):
        with context.bind_template(template):
            return node.render(context)

    bound = Rows(data={"name": "<too long>", "kind": "zz", "many": ["a", "zz"], "one": "b"})
    bound.is_valid()
    compared = 0
    for form in (Rows(), bound, Rows(auto_id=False)):
        for field in form:
            for extra in ({}, {"wide": True}, {"form": form}, {"form": form, "wide": "x"}):
                for autoescape in (True, False):
                    context = Context({"field": field, **extra}, autoescape=autoescape)
                    assert _field_row(context) == nodes(context), field.name
                    compared += 1
    assert compared == 3 * 5 * 4 * 2
    other = FieldNamedRequiredFields()
    for context in (
        Context({}),  # no field
        Context({"field": "text"}),
        Context({"field": other["required_fields"], "form": other}),
        Context({"field": bound["name"], "wide": lambda: True}),  # the template calls it
    ):
        with pytest.raises(_AsTemplate):
            _field_row(context)
        assert python(context) == nodes(context)
    # the row as the app includes it: the template's text after the tags, its final newline
    context = Context({"field": bound["one"], "form": bound})
    assert template.render(context) == nodes(context) + "\n"
