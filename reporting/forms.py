from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, Form, ModelForm

from .models import MANUAL_FIELDS, Report


class ManualNumbersForm(ModelForm):
    """The numbers only people know, and the narrative."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Report
        fields = [*MANUAL_FIELDS, "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MANUAL_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].initial = 1


class TransitionForm(Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "return", "accept")])
    seen_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=1000)


class LockExceptionForm(Form):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=300)
    until = DateField(label=_("Mở đến hết ngày"), required=True)


class CourseForm(Form):
    name = forms.CharField(label=_("Tên lớp"), max_length=200)
    organiser = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200)
    start_date = DateField(label=_("Từ ngày"), required=True)
    end_date = DateField(label=_("Đến ngày"), required=True)

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data


class EquipmentForm(Form):
    """Quantities a team holds, one field per item."""

    def __init__(self, *args, items: dict[str, str], held: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in items.items():
            self.fields[item] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10_000,
                initial=held.get(item, 0),
                error_messages={
                    "min_value": _("Không nhận số âm."),
                    "invalid": _("Nhập một số nguyên."),
                },
            )
