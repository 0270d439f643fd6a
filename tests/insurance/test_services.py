"""Quarterly lists: month-by-month arithmetic, workflow, read-only once approved, settlement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from insurance import services
from insurance.models import FundingAction, FundingLine, ListState, VsiEnrolment

D = datetime.date
TODAY = D(2026, 11, 30)


def compute(roster, quarter, commune="tien_kien", user="canbo_xa1"):
    return services.funding_list_compute(
        commune=roster.units[commune], quarter=quarter, actor=roster.users[user], today=TODAY
    )


def lines_of(fl, name, scheme):
    return list(
        FundingLine.objects.filter(funding_list=fl, person_name=name, scheme=scheme).order_by(
            "month"
        )
    )


def test_lines_month_by_month_before_july_2025(enrolled):
    fl = compute(enrolled, D(2024, 7, 1))
    an = lines_of(fl, "Nguyễn Văn An", "vsi")
    assert [line.month for line in an] == [D(2024, 7, 1), D(2024, 8, 1), D(2024, 9, 1)]
    assert {(x.contribution, x.state_support, x.province_support, x.member_pays) for x in an} == {
        (330_000, 33_000, 0, 297_000)
    }
    assert [x.support_month for x in an] == [1, 2, 3]
    binh = lines_of(fl, "Trần Thị Bình", "vsi")
    # poor household: 30 % of the poverty-line contribution, whatever income she chose
    assert (binh[0].contribution, binh[0].state_support, binh[0].member_pays) == (
        440_000,
        99_000,
        341_000,
    )
    assert binh[0].groups == ["other", "poor"]
    hi = lines_of(fl, "Phạm Đức Dũng", "hi")
    assert [(x.contribution, x.state_support, x.province_support, x.member_pays) for x in hi] == [
        (105_300, 0, 20_000, 85_300)
    ] * 3
    # Xuân Lũng's member is not on Tiên Kiên's list
    assert not FundingLine.objects.filter(funding_list=fl, person_name="Hoàng Văn Em").exists()
    assert fl.lines.exclude(error="").count() == 0
    assert fl.lines.first().snapshot.trace


def test_rates_change_in_july_and_august_2025(enrolled, my_tu_member):
    fl = compute(enrolled, D(2025, 7, 1), commune="my_tu", user="canbo_ct")
    vsi = lines_of(fl, "Thạch Thị Giang", "vsi")
    assert [x.state_support for x in vsi] == [66_000] * 3
    hi = lines_of(fl, "Thạch Thị Giang", "hi")
    # Issue 12 item 2: HI state support from 15/08/2025 gives August its 17 of 31 days:
    # 52.650 × 17 ÷ 31 = 28.872,58… → 28.873 đ, rounded once; the trace shows both segments.
    assert [x.state_support for x in hi] == [0, 28_873, 52_650]
    assert hi[1].member_pays == 105_300 - 28_873 - 20_000
    labels = [item["label"] for item in hi[1].snapshot.trace]
    assert "Từ 01/08/2025 đến 14/08/2025" in labels and "Từ 15/08/2025 đến 31/08/2025" in labels
    assert hi[2].member_pays == 105_300 - 52_650 - 20_000


def test_mid_quarter_join_and_leave(enrolled):
    m = enrolled.members
    type(m["an"]).objects.filter(pk=m["an"].pk).update(end_date=D(2024, 8, 10), end_ground="a")
    VsiEnrolment.objects.filter(person_id=m["binh"].person_id).update(start_date=D(2024, 9, 20))
    fl = compute(enrolled, D(2024, 7, 1))
    assert [x.month.month for x in lines_of(fl, "Nguyễn Văn An", "vsi")] == [7, 8]
    assert [x.month.month for x in lines_of(fl, "Nguyễn Văn An", "hi")] == [7, 8]
    assert [x.month.month for x in lines_of(fl, "Trần Thị Bình", "vsi")] == [9]
    totals = services.list_totals(fl)
    assert totals["state"] == 2 * 33_000 + 99_000


def test_support_stops_after_120_months(enrolled):
    m = enrolled.members
    VsiEnrolment.objects.filter(person_id=m["an"].person_id).update(months_supported_before=119)
    fl = compute(enrolled, D(2024, 7, 1))
    an = lines_of(fl, "Nguyễn Văn An", "vsi")
    assert [x.state_support for x in an] == [33_000, 0, 0]
    assert [x.support_month for x in an] == [120, None, None]
    assert an[2].member_pays == 330_000


def test_supported_months_carry_across_quarters(enrolled):
    compute(enrolled, D(2024, 7, 1))
    fl = compute(enrolled, D(2024, 10, 1))
    assert [x.support_month for x in lines_of(fl, "Nguyễn Văn An", "vsi")] == [4, 5, 6]


def test_missing_provincial_parameter_is_an_error_line(roster):
    from insurance.models import VsiEnrolment

    VsiEnrolment.objects.create(
        person_id=roster.members["an"].person_id, income=1_500_000, start_date=D(2024, 7, 1)
    )
    fl = compute(roster, D(2024, 7, 1))
    assert fl.lines.exclude(error="").count() == 3
    assert "vsi.province.mode" in fl.lines.first().error or "BHXH" in fl.lines.first().error
    with pytest.raises(ValidationError, match="chưa áp dụng được"):
        services.funding_list_transition(
            funding_list=fl, action="submit", actor=roster.users["canbo_xa1"]
        )


def walk_to_signed(roster, fl, *, district_user="bhxh_huyen"):
    step = services.funding_list_transition
    step(funding_list=fl, action="submit", actor=roster.users["canbo_xa1"])
    step(funding_list=fl, action="verify", actor=roster.users[district_user])
    step(funding_list=fl, action="sign_commune", actor=roster.users["canbo_xa1"])
    step(funding_list=fl, action="sign_bhxh", actor=roster.users[district_user])
    return fl


def test_return_needs_a_comment_and_reopens_the_list(enrolled):
    fl = compute(enrolled, D(2024, 7, 1))
    services.funding_list_transition(
        funding_list=fl, action="submit", actor=enrolled.users["canbo_xa1"]
    )
    with pytest.raises(ValidationError, match="lý do"):
        services.funding_list_transition(
            funding_list=fl, action="return", actor=enrolled.users["bhxh_huyen"], comment="  "
        )
    with pytest.raises(ValidationError, match="không sửa được"):
        compute(enrolled, D(2024, 7, 1))
    services.funding_list_transition(
        funding_list=fl, action="return", actor=enrolled.users["bhxh_huyen"], comment="Sai số thẻ"
    )
    fl.refresh_from_db()
    assert fl.state == ListState.RETURNED
    action = FundingAction.objects.get(funding_list=fl, to_state=ListState.RETURNED)
    assert (action.actor.username, action.from_state, action.comment) == (
        "bhxh_huyen",
        "submitted",
        "Sai số thẻ",
    )
    compute(enrolled, D(2024, 7, 1))  # open again: the commune fixes and recomputes


def test_roles_at_each_step(enrolled):
    fl = compute(enrolled, D(2024, 7, 1))
    with pytest.raises(PermissionDenied):
        services.funding_list_transition(
            funding_list=fl, action="submit", actor=enrolled.users["bhxh_huyen"]
        )
    services.funding_list_transition(
        funding_list=fl, action="submit", actor=enrolled.users["canbo_xa1"]
    )
    with pytest.raises(PermissionDenied):
        services.funding_list_transition(
            funding_list=fl, action="verify", actor=enrolled.users["taichinh_huyen"]
        )
    with pytest.raises(PermissionDenied):  # finance of another district
        services.funding_list_transition(
            funding_list=fl, action="verify", actor=enrolled.users["taichinh_khac"]
        )


def test_full_walk_approved_read_only_advance_settle_carry_forward(enrolled):
    fl = walk_to_signed(enrolled, compute(enrolled, D(2024, 7, 1)))
    fin = enrolled.users["taichinh_huyen"]
    with pytest.raises(PermissionDenied):
        services.funding_list_transition(
            funding_list=fl, action="approve", actor=enrolled.users["taichinh_khac"]
        )
    services.funding_list_transition(funding_list=fl, action="approve", actor=fin)
    fl.refresh_from_db()
    assert fl.state == ListState.APPROVED and fl.approved_at
    with pytest.raises(ValidationError, match="không sửa được"):
        compute(enrolled, D(2024, 7, 1))
    budget = services.list_totals(fl)["budget"]
    with pytest.raises(ValidationError, match="số chứng từ"):
        services.funding_list_transition(funding_list=fl, action="advance", actor=fin, amount=1)
    services.funding_list_transition(
        funding_list=fl,
        action="advance",
        actor=fin,
        document_number="UNC 12",
        day=D(2024, 7, 5),
        amount=budget + 50_000,
    )
    with pytest.raises(ValidationError, match="sau khi hết"):
        services.funding_list_transition(
            funding_list=fl, action="settle", actor=fin, amount=budget, today=D(2024, 9, 30)
        )
    nxt = compute(enrolled, D(2024, 10, 1))
    services.funding_list_transition(
        funding_list=fl, action="settle", actor=fin, amount=budget, today=D(2024, 10, 10)
    )
    fl.refresh_from_db()
    nxt.refresh_from_db()
    assert fl.state == ListState.SETTLED and fl.difference == -50_000
    assert fl.carried_into == nxt and nxt.carried_in == -50_000
    # recomputing the next list keeps the carry exactly once
    compute(enrolled, D(2024, 10, 1))
    nxt.refresh_from_db()
    assert nxt.carried_in == -50_000
    assert services.list_totals(nxt)["requested"] == services.list_totals(nxt)["budget"] - 50_000
    assert [a.to_state for a in fl.actions.all()] == [
        "submitted", "verified", "commune_signed", "signed", "approved", "advanced", "settled"
    ]  # fmt: skip


def test_finance_may_return_signed_list(enrolled):
    fl = walk_to_signed(enrolled, compute(enrolled, D(2024, 7, 1)))
    with pytest.raises(ValidationError):
        services.funding_list_transition(
            funding_list=fl, action="refuse", actor=enrolled.users["taichinh_huyen"]
        )
    services.funding_list_transition(
        funding_list=fl, action="refuse", actor=enrolled.users["taichinh_huyen"], comment="Thiếu"
    )
    fl.refresh_from_db()
    assert fl.state == ListState.RETURNED


def test_future_quarter_refused(enrolled):
    with pytest.raises(ValidationError, match="Chưa đến"):
        compute(enrolled, D(2027, 1, 1))


def test_vsi_income_floor_and_ceiling(enrolled):
    person = enrolled.members["chau"].person
    commune = enrolled.units["tien_kien"]
    data = dict(payment_mode=3, start_date=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="chuẩn nghèo"):
        services.vsi_enrolment_save(
            person=person, commune=commune, data=services.VsiData(1_499_999, **data), actor=None
        )
    with pytest.raises(ValidationError, match="20 lần"):
        services.vsi_enrolment_save(
            person=person, commune=commune, data=services.VsiData(46_800_001, **data), actor=None
        )
    enrolment = services.vsi_enrolment_save(
        person=person, commune=commune, data=services.VsiData(46_800_000, **data), actor=None
    )
    assert enrolment.payment_mode == 3


def test_groups_follow_dated_certificates(enrolled):
    from insurance.models import HouseholdCertificate

    m = enrolled.members
    HouseholdCertificate.objects.create(
        person_id=m["an"].person_id, group="near_poor", valid_from=D(2024, 8, 1),
        valid_to=D(2024, 8, 31),
    )  # fmt: skip
    fl = compute(enrolled, D(2024, 7, 1))
    assert [x.state_support for x in lines_of(fl, "Nguyễn Văn An", "vsi")] == [
        33_000, 82_500, 33_000
    ]  # fmt: skip


def test_ethnic_minority_group_from_july_2025(enrolled, my_tu_member):
    type(my_tu_member.person).objects.filter(pk=my_tu_member.person_id).update(ethnicity="Khmer")
    fl = compute(enrolled, D(2025, 7, 1), commune="my_tu", user="canbo_ct")
    assert lines_of(fl, "Thạch Thị Giang", "vsi")[0].state_support == 99_000


# --- Island communes and special zones; household HI (issue 12 items 3, 4) --------------------


@pytest.mark.parametrize(
    ("kind", "flag", "answer", "support"),
    [
        ("xa", False, None, 66_000),  # an ordinary commune: "other" 20 %
        ("xa", True, None, 165_000),  # an island commune flagged by an administrator
        ("dac_khu", False, None, 165_000),  # a special zone, by its kind
        ("dac_khu", False, False, 66_000),  # the enrolment says the member does not live there
        ("xa", False, True, 165_000),  # … or that they do
    ],
)
def test_island_group_defaults_from_the_commune(
    enrolled, my_tu_member, kind, flag, answer, support
):
    commune = enrolled.units["my_tu"]
    commune.kind, commune.is_island = kind, flag
    commune.save(update_fields=["kind", "is_island"])
    VsiEnrolment.objects.filter(person_id=my_tu_member.person_id).update(island=answer)
    fl = compute(enrolled, D(2025, 7, 1), commune="my_tu", user="canbo_ct")
    line = lines_of(fl, "Thạch Thị Giang", "vsi")[0]
    assert line.state_support == support
    assert ("island" in line.groups) == (support == 165_000)


def test_island_before_july_2025_is_the_other_rate(enrolled):
    commune = enrolled.units["tien_kien"]
    commune.is_island = True
    commune.save(update_fields=["is_island"])
    fl = compute(enrolled, D(2025, 4, 1))
    assert [x.state_support for x in lines_of(fl, "Nguyễn Văn An", "vsi")] == [33_000] * 3


@pytest.mark.parametrize(("position", "contribution"), [(None, 105_300), (1, 105_300), (5, 42_120)])
def test_hi_line_follows_the_household_position(enrolled, position, contribution):
    from insurance.models import HiEnrolment

    HiEnrolment.objects.filter(person_id=enrolled.members["dung"].person_id).update(
        household_position=position
    )
    fl = compute(enrolled, D(2024, 7, 1))
    hi = lines_of(fl, "Phạm Đức Dũng", "hi")
    assert [x.contribution for x in hi] == [contribution] * 3
    assert all(x.member_pays == contribution - 20_000 for x in hi)


def test_household_position_out_of_range_is_refused(enrolled):
    person = enrolled.members["dung"].person
    data = services.HiData(
        card_number="GD4252522000002",
        group="household",
        start_date=D(2024, 7, 1),
        household_position=6,
    )
    with pytest.raises(ValidationError, match="từ 1 đến 5"):
        services.hi_enrolment_save(person=person, data=data, actor=enrolled.users["canbo_xa1"])
