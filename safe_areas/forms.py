"""Forms of the "An toàn về an ninh, trật tự" pages: they parse what was typed; the services
check it (dates in the period, households, one registration a year, the decision)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, Form, blank
from rules.safe_areas import Criterion

from .models import EstablishmentKind, ModelField, ModelStatus

MET_CHOICES = [("1", _("Đạt")), ("0", _("Chưa đạt"))]


class RegistrationForm(Form):
    resolution_number = forms.CharField(label=_("Số nghị quyết của chi bộ"), max_length=60)
    resolution_date = DateField(label=_("Ngày nghị quyết"), required=True)
    registered_on = DateField(label=_("Ngày đăng ký"), required=True)
    households_registered = forms.IntegerField(
        label=_("Số hộ gia đình đăng ký (ký cam kết)"), min_value=0
    )


class EventForm(Form):
    criterion = forms.ChoiceField(label=_("Tiêu chí bị vi phạm"))
    occurred_on = DateField(label=_("Ngày xảy ra"), required=True)
    description = forms.CharField(
        label=_("Sự việc"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = blank([(c.code, f"{c.code} — {c.text}"[:120]) for c in criteria])


class AssessmentForm(Form):
    """One Đạt / Chưa đạt choice and an evidence note per criterion (fields c0_met, c0_note…)."""

    comment = forms.CharField(label=_("Ý kiến gửi xã (nếu có)"), required=False, max_length=2000)
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria: list[Criterion], answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        answers = answers or {}
        for i, c in enumerate(criteria):
            previous = answers.get(c.code)
            self.fields[f"c{i}_met"] = forms.ChoiceField(
                label=f"{c.code}. {c.text}",
                choices=MET_CHOICES,
                widget=forms.RadioSelect,
                initial=None if previous is None else ("1" if previous.met else "0"),
                error_messages={"required": _("Chọn «Đạt» hoặc «Chưa đạt».")},
            )
            self.fields[f"c{i}_note"] = forms.CharField(
                label=_("Minh chứng, ghi chú"),
                required=False,
                max_length=2000,
                initial=previous.evidence if previous else "",
            )

    def rows(self):
        for i, c in enumerate(self.criteria):
            yield c, self[f"c{i}_met"], self[f"c{i}_note"]

    def answers(self) -> dict[str, tuple[bool, str]]:
        d = self.cleaned_data
        return {
            c.code: (d[f"c{i}_met"] == "1", d[f"c{i}_note"]) for i, c in enumerate(self.criteria)
        }


class TransitionForm(Form):
    action = forms.CharField()
    seen_state = forms.CharField(required=False)
    comment = forms.CharField(required=False, max_length=2000)
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=60)
    decision_date = DateField(label=_("Ngày quyết định"))
    decision_signer = forms.CharField(label=_("Người ký"), required=False, max_length=120)


class EstablishmentForm(Form):
    name = forms.CharField(label=_("Tên"), max_length=160)
    kind = forms.ChoiceField(label=_("Loại"), choices=EstablishmentKind.choices)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=255)
    active = forms.BooleanField(label=_("Còn thuộc phạm vi quản lý"), required=False, initial=True)


class EstablishmentYearForm(Form):
    registered_on = DateField(label=_("Ngày đăng ký"), required=True)


class EstablishmentDecisionForm(Form):
    recognised = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Công nhận đạt")), ("0", _("Không công nhận"))],
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = DateField(label=_("Ngày quyết định"), required=True)
    decision_signer = forms.CharField(label=_("Người ký"), max_length=120)


class ModelForm(Form):
    name = forms.CharField(label=_("Tên mô hình"), max_length=200)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=ModelField.choices)
    started_on = DateField(label=_("Bắt đầu"), required=True)
    ended_on = DateField(label=_("Kết thúc"))
    households_signed = forms.IntegerField(label=_("Số hộ ký cam kết"), min_value=0)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ModelStatus.choices)


class ModelRecognitionForm(Form):
    recognition_number = forms.CharField(
        label=_("Số quyết định công nhận của tổ thẩm định"), max_length=60
    )
    recognition_date = DateField(label=_("Ngày công nhận"), required=True)


class CommuneRegistrationForm(Form):
    party_resolution_number = forms.CharField(label=_("Số nghị quyết của Đảng ủy"), max_length=60)
    party_resolution_date = DateField(label=_("Ngày nghị quyết"), required=True)
    plan_number = forms.CharField(label=_("Số kế hoạch của UBND xã"), max_length=60)
    plan_date = DateField(label=_("Ngày kế hoạch"), required=True)
    registered_on = DateField(label=_("Ngày đăng ký"), required=True)


class CommuneAssessmentForm(Form):
    disciplined_officers = forms.IntegerField(
        label=_("Số cán bộ, chiến sĩ Công an xã bị xử lý kỷ luật trong kỳ"), min_value=0
    )
    criteria_met = forms.ChoiceField(
        label=_("Khoản 2, 3, 4 Điều 4 được bảo đảm trên địa bàn"),
        choices=MET_CHOICES,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("Minh chứng, ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)
