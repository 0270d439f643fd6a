from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_AMOUNT, DateField, Form
from core.periods import Quarter

from .models import (
    DOCUMENT_EXTENSIONS,
    HOUSEHOLD_GROUP_CHOICES,
    HOUSEHOLD_POSITION_CHOICES,
    HiGroup,
    IncidentKind,
    PaymentMode,
)


class QuarterForm(Form):
    quarter = forms.TypedChoiceField(
        label=_("Quý"), coerce=lambda v: datetime.date.fromisoformat(v)
    )

    def __init__(self, *args, quarters: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.isoformat(), Quarter.of(q).label) for q in quarters]


class FundingTransitionForm(Form):
    action = forms.ChoiceField(
        choices=[
            (a, a)
            for a in (
                "submit", "return", "verify", "sign_commune", "sign_bhxh", "refuse", "approve",
                "advance", "settle",
            )
        ]
    )  # fmt: skip
    seen_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_number = forms.CharField(label=_("Số chứng từ"), required=False, max_length=60)
    day = DateField(label=_("Ngày"))
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )


class VsiForm(Form):
    enrolled = forms.BooleanField(label=_("Tham gia BHXH tự nguyện"), required=False)
    book_number = forms.CharField(label=_("Số sổ BHXH"), required=False, max_length=20)
    income = forms.IntegerField(
        label=_("Mức thu nhập làm căn cứ đóng (đồng/tháng)"),
        required=False,
        min_value=0,
        help_text=_("Từ chuẩn nghèo khu vực nông thôn đến 20 lần mức lương cơ sở."),
    )
    payment_mode = forms.TypedChoiceField(
        label=_("Phương thức đóng"), choices=PaymentMode.choices, coerce=int, initial=1
    )
    start_date = DateField(label=_("Ngày bắt đầu tham gia"))
    end_date = DateField(label=_("Ngày dừng tham gia"))
    months_supported_before = forms.IntegerField(
        label=_("Số tháng đã được Nhà nước hỗ trợ trước đây"),
        min_value=0,
        max_value=120,
        initial=0,
        required=False,
    )
    island = forms.TypedChoiceField(
        label=_("Sinh sống tại xã đảo, đặc khu"),
        choices=[
            ("", _("Theo xã (đặc khu, hoặc xã đảo do quản trị viên đánh dấu)")),
            ("yes", _("Có")),
            ("no", _("Không")),
        ],
        coerce=lambda v: {"yes": True, "no": False}[v],
        empty_value=None,
        required=False,
        help_text=_("Nhà nước hỗ trợ 50 % tiền đóng từ 01/07/2025 (Nghị định 159/2025/NĐ-CP)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("enrolled"):
            if data.get("income") is None:
                self.add_error("income", _("Nhập mức thu nhập làm căn cứ đóng."))
            if not data.get("start_date"):
                self.add_error("start_date", _("Nhập ngày bắt đầu tham gia."))
        return data


class HiForm(Form):
    enrolled = forms.BooleanField(label=_("Có thẻ BHYT"), required=False)
    card_number = forms.CharField(label=_("Số thẻ BHYT"), required=False, max_length=15)
    group = forms.ChoiceField(label=_("Nhóm tham gia"), choices=HiGroup.choices)
    household_position = forms.TypedChoiceField(
        label=_("Thứ tự trong hộ gia đình tham gia BHYT"),
        choices=[("", _("Không tham gia theo hộ (đóng đủ mức)")), *HOUSEHOLD_POSITION_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Người thứ nhất 100 %; thứ hai, ba, tư 70 %, 60 %, 50 %; từ người thứ năm 40 % mức "
            "đóng của người thứ nhất (Nghị định 146/2018/NĐ-CP, Điều 7)."
        ),
    )
    start_date = DateField(label=_("Thẻ có giá trị từ"))
    end_date = DateField(label=_("Dừng tham gia từ"))

    def clean(self):
        data = super().clean()
        if data.get("enrolled"):
            if not data.get("card_number"):
                self.add_error("card_number", _("Nhập số thẻ BHYT."))
            if not data.get("start_date"):
                self.add_error("start_date", _("Nhập ngày thẻ có giá trị."))
        return data


class CertificateForm(Form):
    group = forms.ChoiceField(label=_("Nhóm"), choices=HOUSEHOLD_GROUP_CHOICES)
    valid_from = DateField(label=_("Có giá trị từ"), required=True)
    valid_to = DateField(label=_("Có giá trị đến"))
    reference = forms.CharField(label=_("Số giấy chứng nhận"), required=False, max_length=60)


class IncidentForm(Form):
    membership = forms.ModelChoiceField(label=_("Thành viên"), queryset=None)
    kind = forms.ChoiceField(label=_("Trường hợp"), choices=IncidentKind.choices)
    occurred_on = DateField(label=_("Ngày xảy ra"), required=True)
    description = forms.CharField(
        label=_("Diễn biến, nhiệm vụ đang thực hiện"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medical_costs = forms.IntegerField(
        label=_("Chi phí khám, chữa bệnh thực tế (đồng)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        initial=0,
        required=False,
    )
    inpatient_days = forms.IntegerField(
        label=_("Số ngày điều trị nội trú"), min_value=0, max_value=366, initial=0, required=False
    )
    capacity_loss = forms.IntegerField(
        label=_("Tỷ lệ suy giảm khả năng lao động (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
        help_text=_("Theo kết luận của Hội đồng giám định y khoa; 0 nếu không giám định."),
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.person.full_name} · {m.get_role_display()} · {m.team.name}"
        )


class DocumentForm(Form):
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=160)
    file = forms.FileField(
        label=_("Tệp (PDF, JPG, PNG; tối đa 5 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in DOCUMENT_EXTENSIONS)}
        ),
    )


class IncidentTransitionForm(Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "return", "approve")])
    seen_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=1000)
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=60)
