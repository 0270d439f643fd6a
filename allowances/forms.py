"""The four calculator forms (finance staff's what-if questions). They only check and convert
input; the computing is `rules.calculator`, the same code as `manage.py rules`."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, Form, MonthField
from core.periods import Month
from rules import calculator
from rules.base import (
    TRAINING_LEVELS,
    CommuneKind,
    ConcurrentPost,
    DutyKind,
    RuleError,
    TeamRole,
)
from rules.insurance import Group, Scheme
from rules.parameters import ParameterValue, Source, Unit, parse_value
from rules.registry import jurisdiction_choices
from rules.support import REGIONS
from teams.models import POST_CHOICES, ROLE_CHOICES

from .models import DUTY_CHOICES, DUTY_LABELS

KIND_CHOICES = [(k.value, k.label) for k in CommuneKind]
GROUP_CHOICES = [(g.value, g.label) for g in Group]
SCHEME_CHOICES = [(s.value, s.label) for s in Scheme]


class CalculatorForm(Form):
    calc: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"] = forms.ChoiceField(
            label=_("Quy định của tỉnh (mã tỉnh cũ)"), choices=jurisdiction_choices()
        )
        self.order_fields(["jurisdiction"])


class QuotaForm(CalculatorForm):
    calc = "quota"
    commune_kind = forms.ChoiceField(label=_("Loại đơn vị cấp xã"), choices=KIND_CHOICES)
    households = forms.IntegerField(label=_("Số hộ gia đình"), min_value=0)
    residents = forms.IntegerField(label=_("Số nhân khẩu"), min_value=0, required=False)
    on = DateField(label=_("Ngày áp dụng"), required=True)

    def compute(self, params) -> dict:
        d = self.cleaned_data
        return calculator.quota(
            jurisdiction=d["jurisdiction"],
            commune_kind=CommuneKind(d["commune_kind"]),
            households=d["households"],
            residents=d["residents"],
            on=d["on"],
            params=params,
        )


class MonthlyForm(CalculatorForm):
    calc = "monthly"
    role = forms.ChoiceField(label=_("Chức danh"), choices=ROLE_CHOICES)
    month = MonthField(label=_("Tháng"))
    village_type = forms.IntegerField(
        label=_("Phân loại thôn, tổ dân phố"), min_value=1, max_value=3, required=False
    )
    region = forms.ChoiceField(
        label=_("Vùng lương tối thiểu của xã"),
        choices=[("", "—"), *((r, r) for r in REGIONS)],
        required=False,
    )
    concurrent = forms.MultipleChoiceField(
        label=_("Kiêm nhiệm"),
        choices=POST_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    training_level = forms.ChoiceField(
        label=_("Trình độ đào tạo"),
        choices=[("", _("Không có (dưới trung cấp)")), *TRAINING_LEVELS.items()],
        required=False,
        help_text=_("Như trình độ học vấn ghi trong danh sách thành viên."),
    )
    active_days = forms.IntegerField(
        label=_("Số ngày tham gia trong tháng, tính đến ngày cuối tháng (để trống nếu đủ tháng)"),
        min_value=0,
        max_value=31,
        required=False,
    )

    def compute(self, params) -> dict:
        d = self.cleaned_data
        return calculator.monthly(
            jurisdiction=d["jurisdiction"],
            role=TeamRole(d["role"]),
            month=d["month"],
            params=params,
            village_type=d["village_type"],
            region=d["region"] or None,
            concurrent=tuple(ConcurrentPost(p) for p in d["concurrent"]),
            training_level=d["training_level"] or None,
            active_days=d["active_days"],
        )


class InsuranceForm(CalculatorForm):
    calc = "insurance"
    scheme = forms.ChoiceField(label=_("Loại bảo hiểm"), choices=SCHEME_CHOICES)
    month = MonthField(label=_("Tháng"))
    on = DateField(label=_("Ngày trong tháng (để trống: ngày 1)"))
    group = forms.ChoiceField(label=_("Nhóm đối tượng"), choices=GROUP_CHOICES, initial="other")
    income = forms.IntegerField(
        label=_("Mức thu nhập chọn đóng BHXH tự nguyện (để trống: mức thấp nhất)"),
        min_value=1,
        required=False,
    )
    months_supported = forms.IntegerField(
        label=_("Số tháng đã được Nhà nước hỗ trợ"), min_value=0, initial=0, required=False
    )
    role = forms.ChoiceField(
        label=_("Chức danh (nơi mức đóng tính trên mức hỗ trợ)"),
        choices=[("", "—"), *ROLE_CHOICES],
        required=False,
    )

    def clean(self):
        d = super().clean()
        on, month = d.get("on"), d.get("month")
        if on and month and (on.year, on.month) != (month.year, month.month):
            self.add_error("on", _("Ngày phải thuộc tháng đã chọn."))
        return d

    def compute(self, params) -> dict:
        d = self.cleaned_data
        return calculator.insurance(
            scheme=Scheme(d["scheme"]),
            jurisdiction=d["jurisdiction"],
            on=d["on"] or d["month"],
            groups=(Group(d["group"]),),
            params=params,
            income=d["income"],
            months_supported=d["months_supported"] or 0,
            role=TeamRole(d["role"]) if d["role"] else None,
        )


class DutyForm(CalculatorForm):
    """The days of one month on which each kind of duty was done, as the duty log records them
    (one unit per day listed; a day written twice counts twice)."""

    calc = "duty"
    month = MonthField(label=_("Tháng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in DutyKind:
            self.fields[kind.value] = forms.CharField(
                label=DUTY_LABELS[kind],
                required=False,
                max_length=200,
                help_text=_("Các ngày trong tháng, ví dụ: 3, 10, 21-25"),
            )

    def clean(self):
        d: dict = super().clean() or {}
        month = d.get("month")
        if month is None:
            return d
        d["days"] = {}
        for kind in DutyKind:
            try:
                d["days"][kind] = calculator.parse_days_of_month(
                    d.get(kind.value) or "", month, str(DUTY_LABELS[kind])
                )
            except RuleError as exc:
                self.add_error(kind.value, str(exc))
        if not self.errors and not any(d["days"].values()):
            raise forms.ValidationError(
                _("Ghi ít nhất một ngày (đêm, ca) làm nhiệm vụ trong tháng.")
            )
        return d

    def compute(self, params) -> dict:
        d = self.cleaned_data
        return calculator.duty(
            jurisdiction=d["jurisdiction"], month=d["month"], days=d["days"], params=params
        )


FORMS = {form.calc: form for form in (QuotaForm, MonthlyForm, DutyForm, InsuranceForm)}


# --- Allowance runs, duty log, parameter trial ------------------------------------------------


class RunComputeForm(Form):
    month = forms.TypedChoiceField(
        label=_("Tháng"), coerce=lambda v: datetime.date.fromisoformat(v)
    )

    def __init__(self, *args, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), Month.of(m).label) for m in months]


class RunTransitionForm(Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "return", "approve", "pay")])
    seen_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    payment_reference = forms.CharField(label=_("Số chứng từ chi"), required=False, max_length=60)
    paid_on = DateField(label=_("Ngày chi"))


class DutyEntryForm(Form):
    membership = forms.ModelChoiceField(label=_("Thành viên"), queryset=None)
    day = DateField(label=_("Ngày"), required=True)
    kind = forms.ChoiceField(label=_("Loại nhiệm vụ"), choices=DUTY_CHOICES)
    units = forms.IntegerField(label=_("Số ngày, đêm hoặc ca"), min_value=1, max_value=3, initial=1)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=200)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.person.full_name} · {m.get_role_display()} · {m.team.name}"
        )


class ParameterTrialForm(Form):
    """A new dated value for a parameter, and the months to show its effect on."""

    key = forms.ChoiceField(label=_("Tham số"))
    jurisdiction = forms.ChoiceField(label=_("Áp dụng cho"))
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=[(u.value, u.label) for u in Unit])
    value = forms.CharField(label=_("Giá trị mới"), max_length=200)
    effective_from = DateField(label=_("Áp dụng từ ngày"), required=True)
    citation = forms.CharField(
        label=_("Căn cứ"),
        max_length=400,
        help_text=_("Số, ký hiệu văn bản, điều, khoản. Ví dụ: Nghị định 73/2024/NĐ-CP, Điều 3."),
    )
    source = forms.ChoiceField(
        label=_("Nguồn của giá trị"),
        choices=[(s.value, s.label) for s in Source],
        initial=Source.RESOLUTION.value,
        help_text=_("Chỉ giá trị đọc từ văn bản được coi là đã xác minh."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    preview_from = MonthField(label=_("Xem ảnh hưởng từ tháng"))
    preview_to = MonthField(label=_("đến tháng"))

    def __init__(
        self, *args, keys: list[tuple[str, str]], jurisdictions: list[tuple[str, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = keys
        self.fields["jurisdiction"].choices = jurisdictions

    def clean(self):
        data = super().clean()
        unit, value = data.get("unit"), data.get("value")
        if unit and value:
            try:
                data["parsed"] = parse_value(value, Unit(unit))
            except ValueError as exc:
                self.add_error("value", str(exc))
        start = data.get("preview_from") or (
            data["effective_from"].replace(day=1) if data.get("effective_from") else None
        )
        end = data.get("preview_to") or start
        if start and end:
            if end < start:
                self.add_error("preview_to", _("Tháng cuối phải sau tháng đầu."))
            elif (end.year - start.year) * 12 + end.month - start.month >= 24:
                self.add_error("preview_to", _("Xem tối đa 24 tháng một lần."))
        data["preview_from"], data["preview_to"] = start, end
        return data

    def draft(self) -> ParameterValue:
        d = self.cleaned_data
        return ParameterValue(
            key=d["key"],
            jurisdiction=d["jurisdiction"],
            value=d["parsed"],
            unit=Unit(d["unit"]),
            effective_from=d["effective_from"],
            citation=d["citation"].strip(),
            source=Source(d["source"]),
            note=d["note"].strip(),
        )

    def months(self) -> list[datetime.date]:
        month, end, out = (
            Month.of(self.cleaned_data["preview_from"]),
            self.cleaned_data["preview_to"],
            [],
        )
        while month.first_day <= end:
            out.append(month.first_day)
            month = month.next()
        return out
