"""Forms of the mediation pages: they parse what was typed; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, Form
from teams.forms import RosterFieldsForm, roster_fields
from teams.models import PERSON_FIELDS, Person, ResidentialArea

from .models import AccidentKind, CaseType, Mediator, Origin, Outcome


class MediationForm(Form):
    """Every field optional at the form level: the services say what is missing, in the same
    words whatever page sent it."""

    required_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TeamForm(MediationForm):
    area = forms.ModelChoiceField(
        queryset=ResidentialArea.objects.none(), label=_("Khu dân cư (ấp, khóm, tổ dân phố)")
    )
    name = forms.CharField(label=_("Tên Tổ hòa giải"), max_length=160)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), max_length=60)
    decision_date = DateField(label=_("Ngày quyết định thành lập"))
    minority_area = forms.BooleanField(
        label=_("Khu dân cư có đồng bào dân tộc thiểu số"), required=False
    )
    required_fields = ("area", "name", "decision_number", "decision_date")

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class MediatorEndForm(MediationForm):
    ended_on = DateField(label=_("Ngày thôi làm hòa giải viên"))
    end_reason = forms.CharField(
        label=_("Lý do thôi"),
        max_length=200,
        help_text=_(
            "Ví dụ: tự nguyện xin thôi; chuyển nơi cư trú; không còn đủ tiêu chuẩn (Luật Điều 7); "
            "theo đề nghị của Ban công tác Mặt trận (Luật Điều 11)."
        ),
    )


@roster_fields(Person, PERSON_FIELDS, "ca_nhan")
class MediatorForm(RosterFieldsForm):
    list_received_on = DateField(label=_("Ngày nhận danh sách của Ban công tác Mặt trận"))
    decision_number = forms.CharField(
        label=_("Số quyết định công nhận"), max_length=60, required=False
    )
    decision_date = DateField(label=_("Ngày quyết định công nhận"))


class ElectionForm(MediationForm):
    mediator = forms.ModelChoiceField(
        queryset=Mediator.objects.none(), label=_("Hòa giải viên được bầu")
    )
    held_on = DateField(label=_("Ngày bầu"))
    votes = forms.IntegerField(label=_("Số phiếu bầu"), min_value=0)
    is_party_secretary = forms.BooleanField(label=_("Là Bí thư chi bộ ấp, khu"), required=False)
    decision_number = forms.CharField(label=_("Số quyết định công nhận"), max_length=60)
    decision_date = DateField(label=_("Ngày quyết định công nhận"))

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class ConsolidationForm(MediationForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2014, max_value=2100)
    reviewed_on = DateField(label=_("Ngày rà soát"))
    proposed_changes = forms.CharField(
        label=_("Đề xuất (thay thế, bổ sung, bầu lại)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_number = forms.CharField(label=_("Số quyết định kiện toàn"), max_length=60)
    decision_date = DateField(label=_("Ngày quyết định kiện toàn"))


class CaseForm(MediationForm):
    received_on = DateField(label=_("Ngày tiếp nhận"))
    origin = forms.ChoiceField(label=_("Căn cứ tiến hành hòa giải"), choices=Origin.choices)
    case_type = forms.ChoiceField(label=_("Loại vụ việc"), choices=CaseType.choices)
    parties = forms.CharField(
        label=_("Các bên (họ tên, địa chỉ)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    content = forms.CharField(label=_("Nội dung vụ việc"), widget=forms.Textarea(attrs={"rows": 3}))
    mediators = forms.ModelMultipleChoiceField(
        queryset=Mediator.objects.none(),
        label=_("Hòa giải viên được phân công"),
        widget=forms.CheckboxSelectMultiple,
    )
    assigned_on = DateField(label=_("Ngày phân công"))
    started_on = DateField(label=_("Ngày bắt đầu hòa giải"))
    out_of_scope = forms.BooleanField(
        label=_("Không thuộc phạm vi hòa giải ở cơ sở (Luật Điều 3)"), required=False
    )
    out_of_scope_reason = forms.CharField(label=_("Lý do không thuộc phạm vi"), max_length=255)
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    agreement = forms.CharField(
        label=_("Nội dung thỏa thuận (hòa giải thành) hoặc yêu cầu của các bên"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    closed_on = DateField(label=_("Ngày kết thúc"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255)
    required_fields = ("received_on", "origin", "case_type", "parties", "content")

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = mediators


class ReplaceForm(MediationForm):
    mediator = forms.IntegerField()
    reason = forms.CharField(label=_("Lý do thay (xung đột lợi ích)"), max_length=255)


class PayComputeForm(MediationForm):
    quarter = DateField(label=_("Ngày bất kỳ trong quý"))


class TransitionForm(MediationForm):
    action = forms.CharField(max_length=20)
    seen_state = forms.CharField(max_length=12)
    comment = forms.CharField(max_length=2000)
    payment_reference = forms.CharField(max_length=60)
    paid_on = DateField()


class AccidentForm(MediationForm):
    occurred_on = DateField(label=_("Ngày xảy ra"))
    kind = forms.ChoiceField(label=_("Trường hợp"), choices=AccidentKind.choices)
    description = forms.CharField(
        label=_("Diễn biến (khi đang hòa giải vụ việc nào, ở đâu)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    treatment_costs = forms.IntegerField(label=_("Chi phí cứu chữa, điều trị (đồng)"), min_value=0)
    lost_income = forms.IntegerField(label=_("Thu nhập thực tế bị mất (đồng)"), min_value=0)
    family_support = forms.IntegerField(label=_("Trợ cấp một lần cho gia đình (đồng)"), min_value=0)
    funeral_costs = forms.IntegerField(label=_("Chi phí mai táng (đồng)"), min_value=0)
    decision_number = forms.CharField(label=_("Số quyết định hỗ trợ"), max_length=60)
    required_fields = ("occurred_on", "kind", "description")


class DocumentForm(MediationForm):
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=160)
    file = forms.FileField(label=_("Tệp (PDF, JPG, PNG)"))


class ImportForm(MediationForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu xuất từ sổ"))


class ReportForm(MediationForm):
    summary = forms.CharField(
        label=_("Đánh giá chung, tồn tại, kiến nghị"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, budget_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in budget_rows:
            if not row["remuneration"]:
                self.fields[f"spent_{row['pk']}"] = forms.IntegerField(
                    label=row["label"], min_value=0, required=False, initial=row["spent"]
                )

    def spent(self) -> dict[str, int]:
        return {
            name.removeprefix("spent_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("spent_")
        }
