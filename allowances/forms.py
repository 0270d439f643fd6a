"""The three calculator forms (finance staff's what-if questions). They only check and convert
input; the computing is `rules.calculator`, the same code as `manage.py rules`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rules import calculator
from rules.base import CommuneKind, ConcurrentPost, RuleError, TeamRole
from rules.insurance import Group, Scheme
from rules.registry import jurisdiction_choices
from rules.support import REGIONS

ROLE_CHOICES = [(r.value, r.label) for r in TeamRole]
KIND_CHOICES = [(k.value, k.label) for k in CommuneKind]
GROUP_CHOICES = [(g.value, g.label) for g in Group]
SCHEME_CHOICES = [(s.value, s.label) for s in Scheme]
POST_CHOICES = [(p.value, p.label) for p in ConcurrentPost]


class CalculatorForm(forms.Form):
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
    on = forms.DateField(label=_("Ngày áp dụng"), widget=forms.DateInput(attrs={"type": "date"}))

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


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(widget=forms.TextInput(attrs={"type": "month"}), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return calculator.parse_month(value)
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from None


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
    active_days = forms.IntegerField(
        label=_("Số ngày tham gia trong tháng (để trống nếu đủ tháng)"),
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
            active_days=d["active_days"],
        )


class InsuranceForm(CalculatorForm):
    calc = "insurance"
    scheme = forms.ChoiceField(label=_("Loại bảo hiểm"), choices=SCHEME_CHOICES)
    month = MonthField(label=_("Tháng"))
    on = forms.DateField(
        label=_("Ngày trong tháng (để trống: ngày 1)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
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


FORMS = {form.calc: form for form in (QuotaForm, MonthlyForm, InsuranceForm)}
