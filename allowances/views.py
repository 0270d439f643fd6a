from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rules.base import RuleError
from rules.models import database_parameters
from teams.access import user_assignments

from .forms import FORMS

RESULT_FIELDS = {
    "contribution": "Mức đóng",
    "state_support": "Nhà nước hỗ trợ",
    "province_support": "Tỉnh hỗ trợ",
    "member_pays": "Người tham gia đóng",
}


@require_safe
def calculator(request):
    """What-if calculations on the rules in force, for finance staff and anyone assigned to a
    unit. The numbers come from `rules.calculator`, like `manage.py rules`."""
    actor = request.user
    if not (actor.is_superuser or user_assignments(actor)):
        raise PermissionDenied(
            _("Chỉ người được phân công đơn vị mới dùng được máy tính quy định.")
        )
    active = request.GET.get("calc")
    forms = {}
    result = None
    for calc, form_class in FORMS.items():
        if calc == active:
            form = form_class(request.GET, prefix=calc)
            if form.is_valid():
                try:
                    params = database_parameters([form.cleaned_data["jurisdiction"]])
                    result = form.compute(params)
                except RuleError as exc:
                    form.add_error(None, str(exc))
        else:
            form = form_class(prefix=calc)
        forms[calc] = form
    context = {
        "forms": forms,
        "active": active if active in FORMS else "quota",
        "result": result,
        "money": [(RESULT_FIELDS[k], result[k]) for k in RESULT_FIELDS if result and k in result],
    }
    return render(request, "allowances/calculator.html", context)
