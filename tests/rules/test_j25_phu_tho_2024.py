"""Phú Thọ NQ 02/2024 and 03/2024: quota thresholds, support by role, concurrent posts.
No database: parameters come straight from fixtures/rules/."""

import datetime
from fractions import Fraction

import pytest

from rules.base import (
    AreaFacts,
    CommuneKind,
    ConcurrentPost,
    MemberFacts,
    MissingParameters,
    RuleError,
    TeamRole,
)
from rules.engine import member_quota, monthly_support
from rules.parameters import ParameterTable, ParameterValue, Unit, fixture_table

AUG_2024 = datetime.date(2024, 8, 1)
KCT = ConcurrentPost.KHONG_CHUYEN_TRACH_KDC
TTHD = ConcurrentPost.TRUC_TIEP_KDC
DT_DP = ConcurrentPost.DOI_TRUONG_DAN_PHONG
DP_DP = ConcurrentPost.DOI_PHO_DAN_PHONG


@pytest.fixture(scope="module")
def params():
    return fixture_table()


def with_post_rates(params, **rates):
    """The other posts' rates are set by other resolutions; an administrator enters them."""
    table = ParameterTable(params)
    for post, amount in rates.items():
        table.add(
            ParameterValue(
                f"post_rate.{post}",
                "25",
                amount,
                Unit.VND,
                datetime.date(2024, 7, 1),
                "NQ khác của HĐND tỉnh Phú Thọ",
            )
        )
    return table


def quota(params, kind, households, on=AUG_2024):
    area = AreaFacts(CommuneKind(kind), households)
    return member_quota(jurisdiction="25", area=area, on=on, params=params).members


@pytest.mark.parametrize(
    ("kind", "households", "members"),
    [
        ("xa", 100, 3), ("xa", 349, 3), ("xa", 350, 3), ("xa", 524, 3), ("xa", 525, 4),
        ("xa", 699, 4), ("xa", 700, 5), ("thi_tran", 525, 4), ("thi_tran", 1200, 7),
        ("phuong", 499, 3), ("phuong", 500, 3), ("phuong", 666, 3), ("phuong", 667, 4),
        ("phuong", 833, 4), ("phuong", 834, 5),
    ],
)  # fmt: skip
def test_quota_thresholds(params, kind, households, members):
    assert quota(params, kind, households) == members


def test_quota_trace_cites_the_resolution(params):
    result = member_quota(
        jurisdiction="25", area=AreaFacts(CommuneKind.PHUONG, 667), on=AUG_2024, params=params
    )
    assert result.citation == "NQ 02/2024/NQ-HĐND tỉnh Phú Thọ"
    assert "500/3" in result.trace[-1].formula
    assert result.rule_module.endswith("j25_phu_tho_2024")


def test_quota_starts_on_1_july_2024(params):
    assert quota(params, "xa", 525, on=datetime.date(2024, 7, 1)) == 4
    with pytest.raises(RuleError, match="01/06/2024"):
        quota(params, "xa", 525, on=datetime.date(2024, 6, 1))


def test_special_zone_is_not_covered(params):
    with pytest.raises(RuleError, match="đặc khu"):
        quota(params, "dac_khu", 500)


def support(params, role, *posts):
    member = MemberFacts(TeamRole(role), frozenset(posts))
    return monthly_support(jurisdiction="25", member=member, month=AUG_2024, params=params)


@pytest.mark.parametrize(
    ("role", "amount"),
    [("to_truong", 1_100_000), ("to_pho", 1_050_000), ("to_vien", 1_000_000)],
)
def test_support_by_role(params, role, amount):
    result = support(params, role)
    assert result.amount == amount
    assert "khoản 1, điểm" in result.trace[0].citation


def test_mid_month_date_means_that_month(params):
    member = MemberFacts(TeamRole.TO_VIEN)
    result = monthly_support(
        jurisdiction="25", member=member, month=datetime.date(2024, 8, 20), params=params
    )
    assert result.amount == 1_000_000


def test_held_by_non_specialised_worker_pays_half_of_the_team_rate(params):
    table = with_post_rates(params, doi_truong_dan_phong=800_000)
    assert support(table, "to_truong", KCT).amount == 550_000
    assert support(table, "to_vien", KCT, TTHD).amount == 500_000


def test_half_goes_to_a_higher_paid_other_post(params):
    table = with_post_rates(params, doi_truong_dan_phong=1_500_000)
    result = support(table, "to_pho", KCT, DT_DP)
    assert result.amount == 0
    assert "Đội trưởng đội dân phòng" in result.trace[1].formula


def test_leader_who_is_civil_defence_captain_gets_100_plus_50_percent(params):
    table = with_post_rates(params, doi_truong_dan_phong=700_000, doi_pho_dan_phong=600_000)
    assert support(table, "to_truong", DT_DP).amount == 1_100_000 + 350_000
    assert support(table, "to_pho", DP_DP, TTHD).amount == 1_050_000 + 300_000


def test_member_who_is_an_activist_gets_100_percent(params):
    assert support(params, "to_vien", TTHD).amount == 1_000_000
    assert support(params, "to_truong", TTHD).amount == 1_100_000


def test_odd_half_rounds_to_the_nearest_dong(params):
    table = with_post_rates(params, doi_pho_dan_phong=333_333)
    assert support(table, "to_pho", DP_DP).amount == 1_050_000 + 166_667


def test_missing_post_rate_names_the_parameter(params):
    with pytest.raises(MissingParameters, match="Đội trưởng đội dân phòng"):
        support(params, "to_truong", DT_DP)


def test_result_records_every_parameter_used(params):
    table = with_post_rates(params, doi_truong_dan_phong=700_000)
    used = {p.key for p in support(table, "to_truong", DT_DP).parameters}
    assert used == {
        "support.to_truong",
        "concurrent.dan_phong_share",
        "post_rate.doi_truong_dan_phong",
    }


def test_shares_are_exact_fractions(params):
    share = params.get("concurrent.kct_share", jurisdiction="25", on=AUG_2024)
    assert share.value == Fraction(50)
