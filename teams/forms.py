"""Forms of the roster pages. They only parse what was typed; the rules are in
`teams.validation`, applied by `teams.services`, whose errors `core.forms.attach_errors` puts
back on the form next to the field they are about. Typed dates and months: `core.forms`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number
from core.forms import DateField, FitsDatabase, Form, attach_errors, blank
from rules.base import TeamRole

from .models import (
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    POST_CHOICES,
    ROLE_CHOICES,
    AreaKind,
    EndGround,
    HouseholdStatus,
    Membership,
    Person,
    RosterField,
    Team,
)
from .selectors import RosterSort, RosterStatus
from .validation import MembershipData, PersonData


class RosterForm(Form):
    """Fields are optional at this level: missing values are reported by `teams.validation`,
    in the same words as in the Excel import."""

    use_required_attribute = False
    required_css_class = "required"

    def attach_errors(self, exc: ValidationError) -> None:
        attach_errors(self, exc)

    def non_field_and_hidden_errors(self):
        return self.errors.get(NON_FIELD_ERRORS, [])


class VersionedForm(RosterForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- Residential areas ----------------------------------------------------------------------


class AreaForm(VersionedForm):
    name = forms.CharField(label=_("Tên khu dân cư"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=blank(AreaKind.choices), required=False)
    households = forms.IntegerField(label=_("Số hộ gia đình"), min_value=0, required=False)
    residents = forms.IntegerField(label=_("Số nhân khẩu"), min_value=0, required=False)
    village_type = forms.TypedChoiceField(
        label=_("Phân loại thôn, tổ dân phố"),
        choices=[("", _("Không phân loại")), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    field_order = ["name", "kind", "households", "residents", "village_type"]
    required_fields = ("name", "kind", "households")


class AreaCreateForm(AreaForm):
    version = None


# --- Teams ----------------------------------------------------------------------------------


class TeamForm(VersionedForm):
    name = forms.CharField(
        label=_("Tên Tổ"),
        max_length=160,
        required=False,
        help_text=_("Ví dụ: Tổ bảo vệ ANTT Khu 1."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Khu dân cư phụ trách"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Một Tổ có thể phụ trách một hoặc nhiều khu dân cư (Luật 30/2023/QH15, Điều 14)."
        ),
    )
    decision_number = forms.CharField(
        label=_("Số quyết định thành lập"), max_length=60, required=False
    )
    decision_date = DateField(label=_("Ngày quyết định thành lập"))
    required_fields = ("name", "areas", "decision_number", "decision_date")

    def __init__(self, *args, areas, area_teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas
        area_teams = area_teams or {}
        self.fields["areas"].label_from_instance = lambda a: (
            f"{a.name} ({format_number(a.households)} hộ)"
            + (f" — đang thuộc {area_teams[a.pk].name}" if a.pk in area_teams else "")
        )


class TeamCreateForm(TeamForm):
    version = None


class TeamDissolveForm(VersionedForm):
    on = DateField(label=_("Ngày giải thể"))
    decision_number = forms.CharField(
        label=_("Số quyết định giải thể"), max_length=60, required=False
    )
    required_fields = ("on", "decision_number")


# --- People and memberships -----------------------------------------------------------------

#
# Built from the roster fields (teams.models.PERSON_FIELDS / MEMBERSHIP_FIELDS) by Django's
# ModelForm machinery (`fields_for_model`), so labels, lengths, choices, defaults and help texts
# are the model's. They are not ModelForms themselves: a member is added with a person and an
# appointment in one form (two models), and these forms only parse: the checks and their words
# are `teams.validation`'s, where a ModelForm would add the model's own validation
# (`full_clean`) and Django's messages. Below is only what a form shows differently from
# Django's default for the model field; a new field needs none of it.

SECTIONS = {
    "ca_nhan": _("Thông tin cá nhân"),
    "cu_tru": _("Cư trú"),
    "tham_gia": _("Tham gia Tổ"),
}
SECTION_OF = {
    "residence_type": "cu_tru",
    "residence_since": "cu_tru",
    "residence_address": "cu_tru",
}
WIDGETS = {
    "sex": forms.RadioSelect,
    "cccd": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    "household_status": forms.RadioSelect,
    "residence_type": forms.RadioSelect,
    "role": forms.RadioSelect,
    "concurrent_posts": forms.CheckboxSelectMultiple,
    "over_quota_reason": forms.Textarea(attrs={"rows": 2}),
}
OPTIONS = {
    "cccd": {"max_length": 20},  # typed with spaces ("025 085 000 001"); the checks count digits
    "role": {"initial": TeamRole.TO_VIEN.value},
    "concurrent_posts": {"form_class": forms.MultipleChoiceField, "choices": POST_CHOICES},
}
BLANK_LABELS = {"education_exception": _("Không áp dụng")}
WIDE = {"residence_address", "concurrent_posts", "education_exception", "over_quota_reason"}


def _formfield(db_field, **kwargs):
    """A form field for a roster field: the model's, optional here (missing values are
    reported by `teams.validation`, in the same words as in the Excel import)."""
    kwargs |= OPTIONS.get(db_field.name, {}) | {"required": False}
    widget = WIDGETS.get(db_field.name)
    if widget is not None:
        kwargs["widget"] = widget
    if isinstance(db_field, models.DateField):
        return db_field.formfield(form_class=DateField, **kwargs)  # typed dd/mm/yyyy
    if "form_class" in kwargs:  # a field the model keeps in a form it has no field for (JSON)
        form_class = kwargs.pop("form_class")
        return form_class(
            label=capfirst(db_field.verbose_name), help_text=db_field.help_text, **kwargs
        )
    if db_field.choices and "choices" not in kwargs:
        radio = widget is forms.RadioSelect or isinstance(widget, forms.RadioSelect)
        kwargs["choices"] = db_field.get_choices(
            include_blank=not radio and not db_field.has_default(),
            blank_choice=[("", BLANK_LABELS.get(db_field.name, "—"))],
        )
    return db_field.formfield(**kwargs)


def roster_fields(model, entries: tuple[RosterField, ...], section: str):
    """Class decorator: adds a form field for each roster field of `model`."""

    def add(cls):
        built = forms.fields_for_model(
            model, fields=[e.name for e in entries], formfield_callback=_formfield
        )
        cls.declared_fields = cls.base_fields = {**cls.declared_fields, **built}
        cls.roster_sections = {
            **getattr(cls, "roster_sections", {}),
            **{e.name: SECTION_OF.get(e.name, section) for e in entries},
        }
        cls.roster_required = (
            *getattr(cls, "roster_required", ()),
            *(e.name for e in entries if e.required),
        )
        return cls

    return add


class RosterFieldsForm(RosterForm):
    """A form of roster fields, shown by teams/_roster_sections.html in its sections."""

    roster_sections: dict[str, str] = {}
    roster_required: tuple[str, ...] = ()

    @property
    def required_fields(self):
        return self.roster_required

    @classmethod
    def initial_for(cls, instance) -> dict:
        """The form's roster fields as `instance` holds them."""
        return {name: getattr(instance, name) for name in cls.roster_sections}

    def sections(self) -> list[tuple[str, list[tuple[forms.BoundField, bool]]]]:
        """(title, [(field, wide)]) in the order of SECTIONS, fields in the form's order."""
        grouped: dict[str, list] = {key: [] for key in SECTIONS}
        for name, section in self.roster_sections.items():
            if name in self.fields:
                grouped[section].append((self[name], name in WIDE))
        return [(SECTIONS[key], items) for key, items in grouped.items() if items]

    def person_data(self) -> PersonData:
        return PersonData(**{e.name: self.cleaned_data.get(e.name) for e in PERSON_FIELDS})

    def membership_data(self) -> MembershipData:
        return MembershipData(**{e.name: self.cleaned_data.get(e.name) for e in MEMBERSHIP_FIELDS})


@roster_fields(Membership, MEMBERSHIP_FIELDS, "tham_gia")
@roster_fields(Person, PERSON_FIELDS, "ca_nhan")
class MemberAddForm(RosterFieldsForm):
    pass


@roster_fields(Person, PERSON_FIELDS, "ca_nhan")
class PersonEditForm(VersionedForm, RosterFieldsForm):
    pass


@roster_fields(Membership, MEMBERSHIP_FIELDS, "tham_gia")
class MembershipEditForm(VersionedForm, RosterFieldsForm):
    pass


class MembershipEndForm(VersionedForm):
    end_date = DateField(label=_("Ngày thôi tham gia"))
    ground = forms.ChoiceField(
        label=_("Căn cứ (Luật 30/2023/QH15, Điều 17, khoản 3)"),
        choices=EndGround.art17_choices(),
        widget=forms.RadioSelect,
        required=False,
    )
    decision_number = forms.CharField(
        label=_("Số quyết định thôi tham gia (Mẫu 08)"), max_length=60, required=False
    )
    decision_date = DateField(label=_("Ngày quyết định"))
    required_fields = ("end_date", "ground", "decision_number", "decision_date")


class MembershipTransferForm(VersionedForm):
    to_team = forms.ModelChoiceField(
        label=_("Tổ"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Giữ Tổ hiện tại để đổi chức danh trong Tổ."),
    )
    on = DateField(
        label=_("Có hiệu lực từ ngày"),
        help_text=_("Quá trình hiện tại kết thúc ngày hôm trước."),
    )
    role = forms.ChoiceField(
        label=_("Chức danh mới"),
        choices=ROLE_CHOICES,
        initial=TeamRole.TO_VIEN.value,
        widget=forms.RadioSelect,
        required=False,
    )
    appointment_number = forms.CharField(
        label=_("Số quyết định công nhận"), max_length=60, required=False
    )
    appointment_date = DateField(label=_("Ngày quyết định công nhận"))
    over_quota_reason = forms.CharField(
        label=_("Lý do vượt định mức (nếu Tổ mới đã đủ định mức)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    required_fields = ("to_team", "on", "role")

    def __init__(self, *args, teams, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = teams
        if current is not None:
            self.fields["to_team"].label_from_instance = lambda t: (
                f"{t.name} (Tổ hiện tại — đổi chức danh)" if t.pk == current.pk else t.name
            )


# --- Lists ----------------------------------------------------------------------------------


class RosterFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Họ tên (có hoặc không dấu) hoặc số CCCD"), "type": "search"}
        ),
    )
    team = forms.TypedChoiceField(label=_("Tổ"), coerce=int, empty_value=None, required=False)
    role = forms.ChoiceField(
        label=_("Chức danh"), choices=blank(ROLE_CHOICES, _("Mọi chức danh")), required=False
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=RosterStatus.CHOICES, required=False)
    household = forms.ChoiceField(
        label=_("Hoàn cảnh hộ"),
        choices=blank(HouseholdStatus.choices, _("Mọi hoàn cảnh")),
        required=False,
    )
    post = forms.ChoiceField(
        label=_("Kiêm nhiệm"), choices=blank(POST_CHOICES, _("Không lọc")), required=False
    )

    unit = forms.TypedChoiceField(
        label=_("Quận, huyện, xã, phường"), coerce=int, empty_value=None, required=False
    )
    sort = forms.ChoiceField(
        choices=[("", ""), *((k, k) for k in RosterSort.CHOICES)],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, teams: list[tuple[int, str]] | None = None, units=None, **kwargs):
        """`teams` on a commune's roster, `units` (district and commune choices) above it."""
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
        else:
            self.fields["team"].choices = [("", _("Mọi Tổ")), *teams]
        if not units:
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = [("", _("Cả đơn vị")), *units]


class ImportUploadForm(Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Dùng tệp mẫu tải ở trên; dòng 1 là tiêu đề cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class LoginForm(FitsDatabase, AuthenticationForm):
    """Django's login form, plus a clear refusal of the public demo password when DEBUG is off
    (the backend refuses it too: config.security.DemoPasswordGuardBackend)."""

    demo_refused = False

    def clean(self):
        from config.security import demo_password_refused

        if demo_password_refused(self.cleaned_data.get("password")):
            self.demo_refused = True
            raise forms.ValidationError(
                _(
                    "Mật khẩu trình diễn công khai không dùng được trên máy chủ thật. "
                    "Liên hệ quản trị viên của tỉnh để được cấp mật khẩu riêng."
                ),
                code="demo_password",
            )
        return super().clean()
