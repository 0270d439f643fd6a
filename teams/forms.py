"""Forms of the roster pages. They only parse what was typed; the rules are in
`teams.validation`, applied by `teams.services`, whose errors `attach_errors` puts back on the
form next to the field they are about.

Dates are typed dd/mm/yyyy in a text box rather than a browser date picker: many officers run
an English Windows, where the picker would show mm/dd/yyyy.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from rules.base import TeamRole

from .formatting import format_number
from .models import (
    ETHNICITY_CHOICES,
    POST_CHOICES,
    ROLE_CHOICES,
    AreaKind,
    Education,
    EducationException,
    EndGround,
    HouseholdStatus,
    ResidenceType,
    Sex,
    Team,
)
from .selectors import RosterStatus
from .validation import MembershipData, PersonData

DATE_FORMAT = "%d/%m/%Y"


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, field-keyed or not, for flash messages."""
    return [
        m
        for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values()
        for m in messages_
    ]


def attach_errors(form: forms.Form, exc: ValidationError) -> None:
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
        super().__init__(input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"], **kwargs)


class MonthField(forms.CharField):
    """A month typed mm/yyyy (also accepts yyyy-mm), cleaned to its first day."""

    widget = forms.TextInput(
        attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "class": "month"}
    )
    default_error_messages = {"invalid": _("Nhập tháng theo dạng tháng/năm, ví dụ 08/2024.")}

    def to_python(self, value):
        import datetime
        import re

        value = super().to_python(value).strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", value) or re.fullmatch(
            r"(\d{4})-(\d{1,2})", value
        )
        if match:
            month, year = (match[1], match[2]) if "/" in value else (match[2], match[1])
            if 1 <= int(month) <= 12:
                return datetime.date(int(year), int(month), 1)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        import datetime

        return f"{value:%m/%Y}" if isinstance(value, datetime.date) else value


def blank(choices, label="—"):
    return [("", label), *choices]


class RosterForm(forms.Form):
    """Fields are optional at this level: missing values are reported by `teams.validation`,
    in the same words as in the Excel import."""

    use_required_attribute = False
    required_css_class = "required"

    def attach_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)

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

PERSON_FIELDS = [
    "full_name",
    "birth_date",
    "sex",
    "cccd",
    "phone",
    "ethnicity",
    "education",
    "household_status",
    "residence_type",
    "residence_address",
    "residence_since",
]
MEMBERSHIP_FIELDS = [
    "role",
    "start_date",
    "appointment_number",
    "appointment_date",
    "concurrent_posts",
    "education_exception",
    "over_70_approval_number",
    "over_70_approval_date",
    "over_quota_reason",
]


class PersonFields(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    birth_date = DateField(label=_("Ngày sinh"))
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect, required=False
    )
    cccd = forms.CharField(
        label=_("Số CCCD"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("12 chữ số trên thẻ căn cước / căn cước công dân."),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    ethnicity = forms.ChoiceField(
        label=_("Dân tộc"), choices=ETHNICITY_CHOICES, initial="Kinh", required=False
    )
    education = forms.ChoiceField(
        label=_("Trình độ học vấn"), choices=blank(Education.choices), required=False
    )
    household_status = forms.ChoiceField(
        label=_("Hoàn cảnh hộ gia đình"),
        choices=HouseholdStatus.choices,
        initial=HouseholdStatus.KHAC,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Hộ nghèo, cận nghèo được hỗ trợ thêm khi đóng BHXH tự nguyện."),
    )
    residence_type = forms.ChoiceField(
        label=_("Hình thức cư trú"),
        choices=ResidenceType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    residence_address = forms.CharField(label=_("Địa chỉ cư trú"), max_length=255, required=False)
    residence_since = DateField(label=_("Cư trú từ ngày"))
    person_required = (
        "full_name",
        "birth_date",
        "sex",
        "cccd",
        "education",
        "residence_type",
        "residence_address",
        "residence_since",
    )

    def person_data(self) -> PersonData:
        return PersonData(**{name: self.cleaned_data.get(name) or "" for name in PERSON_FIELDS})


class MembershipFields(forms.Form):
    role = forms.ChoiceField(
        label=_("Chức danh"),
        choices=ROLE_CHOICES,
        initial=TeamRole.TO_VIEN.value,
        widget=forms.RadioSelect,
        required=False,
    )
    start_date = DateField(label=_("Ngày bắt đầu tham gia"))
    appointment_number = forms.CharField(
        label=_("Số quyết định công nhận"), max_length=60, required=False
    )
    appointment_date = DateField(label=_("Ngày quyết định công nhận"))
    concurrent_posts = forms.MultipleChoiceField(
        label=_("Kiêm nhiệm"),
        choices=POST_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    education_exception = forms.ChoiceField(
        label=_("Vùng được áp dụng trình độ tiểu học (Điều 13 khoản 3)"),
        choices=blank(EducationException.choices, _("Không áp dụng")),
        required=False,
    )
    over_70_approval_number = forms.CharField(
        label=_("Số văn bản chấp thuận của Chủ tịch UBND xã (người trên 70 tuổi)"),
        max_length=60,
        required=False,
    )
    over_70_approval_date = DateField(label=_("Ngày chấp thuận"))
    over_quota_reason = forms.CharField(
        label=_("Lý do vượt định mức (nếu Tổ đã đủ định mức)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    membership_required = ("role", "start_date")

    def membership_data(self) -> MembershipData:
        values = {name: self.cleaned_data.get(name) for name in MEMBERSHIP_FIELDS}
        for name in MEMBERSHIP_FIELDS:
            if values[name] is None and name not in {
                "start_date",
                "appointment_date",
                "over_70_approval_date",
            }:
                values[name] = ""
        values["concurrent_posts"] = list(values["concurrent_posts"] or [])
        return MembershipData(**values)


class MemberAddForm(RosterForm, PersonFields, MembershipFields):
    field_order = PERSON_FIELDS + MEMBERSHIP_FIELDS

    @property
    def required_fields(self):
        return self.person_required + self.membership_required


class PersonEditForm(VersionedForm, PersonFields):
    field_order = PERSON_FIELDS

    @property
    def required_fields(self):
        return self.person_required


class MembershipEditForm(VersionedForm, MembershipFields):
    field_order = MEMBERSHIP_FIELDS

    @property
    def required_fields(self):
        return self.membership_required


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


class RosterFilterForm(forms.Form):
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

    def __init__(self, *args, teams: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
        else:
            self.fields["team"].choices = [("", _("Mọi Tổ")), *teams]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Dùng tệp mẫu tải ở trên; dòng 1 là tiêu đề cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class LoginForm(AuthenticationForm):
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
