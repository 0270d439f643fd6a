"""core.forms.fit_database: typed numbers, ids and dates stay inside what the database and the
calendar hold, with a Vietnamese message naming the bound (issue 16 §4)."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from core.forms import MAX_AMOUNT, DateField, Form, MonthField, check_plausible_date
from teams.models import Team

pytestmark = pytest.mark.django_db


class Sample(Form):
    count = forms.IntegerField(required=False)
    ratio = forms.DecimalField(required=False)
    amount = forms.IntegerField(required=False, max_value=MAX_AMOUNT)
    day = DateField()
    month = MonthField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # fields added after the form is built are fitted too
        self.fields["team"] = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)
        self.fields["teams"] = forms.ModelMultipleChoiceField(
            queryset=Team.objects.all(), required=False
        )


def errors(**data):
    form = Sample(data)
    assert not form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


def test_numbers_larger_than_a_column_are_refused_in_vietnamese():
    assert errors(count=str(10**20)) == {"count": ["Số quá lớn: nhập số không quá 2.147.483.647."]}
    assert errors(count=str(-(10**20))) == {
        "count": ["Số quá nhỏ: nhập số không dưới -2.147.483.648."]
    }
    assert "Số quá lớn" in errors(ratio="1e20")["ratio"][0]


def test_bounds_at_the_edge():
    ok = Sample({"count": "2147483647", "amount": str(MAX_AMOUNT)})
    assert ok.is_valid(), ok.errors
    assert "count" in Sample({"count": "2147483648"}).errors
    assert "amount" in Sample({"amount": str(MAX_AMOUNT + 1)}).errors


def test_ids_no_column_holds_are_invalid_choices_not_500s():
    found = errors(team=str(10**20), teams=[str(10**20)])
    assert set(found) == {"team", "teams"}
    assert errors(teams=["1", str(-(10**20))])["teams"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/01/0001", "Ngày 01/01/0001 không hợp lý: nhập ngày từ 01/01/1900 đến 31/12/2100."),
        ("31/12/9999", "Ngày 31/12/9999 không hợp lý: nhập ngày từ 01/01/1900 đến 31/12/2100."),
        ("31/12/1899", "Ngày 31/12/1899 không hợp lý"),
    ],
)
def test_implausible_dates_are_refused(typed, message):
    assert errors(day=typed)["day"][0].startswith(message)


def test_plausible_dates_at_the_edges():
    assert Sample({"day": "01/01/1900"}).is_valid()
    assert Sample({"day": "31/12/2100"}).is_valid()
    assert "month" in Sample({"month": "01/0001"}).errors


def test_check_plausible_date_takes_dates_and_datetimes():
    check_plausible_date(None)
    check_plausible_date(datetime.datetime(2024, 1, 1, 8, 0))
    with pytest.raises(forms.ValidationError):
        check_plausible_date(datetime.date(2101, 1, 1))
