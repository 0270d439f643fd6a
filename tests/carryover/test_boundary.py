"""Across 01/07/2025: arrears of old months paid by the successor, the 120-month VSI support
count, the report whose window straddles the reorganisation."""

from __future__ import annotations

import datetime

from allowances import services as allowances
from allowances.models import AllowanceLine, AllowanceRun, LineKind, RunState
from allowances.selectors import run_sheet
from carryover import selectors, services
from carryover.plan import AreaPlan, Plan, TeamPlan
from teams.models import Membership
from tests.builders import person_data
from tests.carryover.conftest import keep_plan

D = datetime.date
MAY, JULY, AUGUST = D(2025, 5, 1), D(2025, 7, 1), D(2025, 8, 1)


def _approve(run):
    AllowanceRun.objects.filter(pk=run.pk).update(state=RunState.APPROVED)


def _add(team, name, start, role="to_vien"):
    from dataclasses import asdict

    from teams.models import Person

    person = Person.objects.create(**asdict(person_data(full_name=name)))
    return Membership.objects.create(person=person, team=team, role=role, start_date=start)


def test_a_back_dated_member_of_an_old_commune_is_paid_by_the_successor(co):
    officer = co.users["canbo_xa2"]
    _approve(
        allowances.allowance_run_compute(commune=co.units["xuan_lung"], month=MAY, actor=officer)
    )
    late = _add(co.teams["xl1"], "Đào Văn Muộn", D(2025, 4, 1))  # entered after May was approved
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    run = allowances.allowance_run_compute(
        commune=co.units["lam_thao_new"], month=JULY, actor=co.users["canbo_xa_moi"]
    )
    arrears = list(run.lines.filter(kind=LineKind.ARREARS))
    assert [(a.membership_id, a.reference_month, a.amount) for a in arrears] == [
        (late.pk, MAY, 1_000_000)
    ]
    line = arrears[0]
    assert line.cause["commune"] == "Xã Xuân Lũng (cũ)" and line.cause["paid"] == 0
    assert (
        "Xã Xuân Lũng (cũ)" in line.snapshot.trace[0]["label"]
        and "190/2025/QH15" in line.snapshot.trace[0]["citation"]
    )
    # The payment list shows it in its own section, after the commune's own teams.
    sheet = run_sheet(run=run)
    assert sheet.teams[-1].section.startswith(
        "Truy lĩnh, điều chỉnh các tháng trước 01/07/2025 của Xã Xuân Lũng"
    )
    assert all(not t.section for t in sheet.teams[:-1])
    # July monthly lines: the four carried members plus Muộn, from 01/07/2025, in the new teams.
    monthly = run.lines.filter(kind=LineKind.MONTHLY)
    assert (
        monthly.count() == 5
        and not monthly.filter(membership__team__commune=co.units["xuan_lung"]).exists()
    )
    # Once July is approved, August pays nothing twice.
    _approve(run)
    august = allowances.allowance_run_compute(
        commune=co.units["lam_thao_new"], month=AUGUST, actor=co.users["canbo_xa_moi"]
    )
    assert not august.lines.filter(kind=LineKind.ARREARS).exists()


def test_a_split_old_communes_member_follows_the_successor_of_their_area(co):
    officer = co.users["canbo_xa1"]
    _approve(
        allowances.allowance_run_compute(commune=co.units["tien_kien"], month=MAY, actor=officer)
    )
    late = _add(co.teams["tk2"], "Vũ Thị Khu Hai", D(2025, 4, 1))
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    pn = co.units["phung_nguyen"]
    a, t = co.areas, co.teams
    services.commune_carry_over(
        commune=pn,
        plan=Plan(
            picked={co.units["tien_kien"].pk: [a["tien_kien_2"].pk]},
            areas=[AreaPlan("Khu 2", [a["tien_kien_2"].pk])],
            teams=[TeamPlan("Tổ bảo vệ ANTT Khu 2", [t["tk2"].pk])],
            fingerprint=selectors.fingerprint(selectors.sources_of(pn)),
        ),
        actor=co.users["canbo_pn"],
    )
    lam = allowances.allowance_run_compute(
        commune=co.units["lam_thao_new"], month=JULY, actor=co.users["canbo_xa_moi"]
    )
    assert not lam.lines.filter(
        kind=LineKind.ARREARS, membership__team__commune=co.units["tien_kien"]
    ).exists()
    there = allowances.allowance_run_compute(commune=pn, month=JULY, actor=co.users["canbo_pn"])
    assert list(
        there.lines.filter(kind=LineKind.ARREARS).values_list("membership_id", "amount")
    ) == [(late.pk, 1_000_000)]
    assert AllowanceLine.objects.filter(kind=LineKind.ARREARS, membership=late).count() == 1


def _insurance_parameters():
    from rules.models import Parameter

    Parameter.objects.bulk_create(
        Parameter(key=key, jurisdiction="25", value=value, unit=unit, effective_from=D(2024, 7, 1),
                  citation=f"Tham số thử nghiệm {key}", origin=Parameter.Origin.ADMIN)
        for key, value, unit in (("vsi.province.mode", "none", "choice"), ("hi.province.mode", "none", "choice"))
    )  # fmt: skip


def test_the_120_month_vsi_support_counts_across_the_boundary(co):
    from insurance import services as insurance
    from insurance.models import FundingLine, VsiEnrolment

    _insurance_parameters()
    an = co.members["an"]
    VsiEnrolment.objects.create(
        person=an.person, income=1_500_000, start_date=D(2025, 4, 1), months_supported_before=118
    )
    q2 = insurance.funding_list_compute(
        commune=co.units["tien_kien"], quarter=D(2025, 4, 1), actor=co.users["canbo_xa1"]
    )
    old = {line.month: line for line in q2.lines.filter(scheme="vsi")}
    assert [old[m].support_month for m in sorted(old)] == [119, 120, None]
    assert old[D(2025, 6, 1)].state_support == 0
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    q3 = insurance.funding_list_compute(
        commune=co.units["lam_thao_new"], quarter=JULY, actor=co.users["canbo_xa_moi"]
    )
    july = FundingLine.objects.get(funding_list=q3, scheme="vsi", month=JULY)
    # The same enrolment continues (no gap), the new membership, no state support left.
    assert (
        july.person_id == an.person_id and july.membership.team.commune == co.units["lam_thao_new"]
    )
    assert (july.state_support, july.support_month) == (0, None) and july.contribution == 330_000


def test_the_straddling_report_belongs_to_the_new_commune_and_counts_the_first_part(co):
    from reporting.contents import commune_contents
    from reporting.periods import Period, PeriodKind
    from reporting.selectors import periods_for

    joiner = _add(co.teams["xl1"], "Ngô Văn Tháng Sáu", D(2025, 6, 20))
    leaver = co.members["chau"]
    Membership.objects.filter(pk=leaver.pk).update(
        end_date=D(2025, 6, 25), end_ground="a", end_decision_number="5/QĐ"
    )
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    july = Period.monthly(2025, 7)
    today = D(2026, 12, 1)
    assert "2025-07" not in [
        p.key for p in periods_for(co.units["xuan_lung"], PeriodKind.MONTHLY, today)
    ]
    assert "2025-07" in [
        p.key for p in periods_for(co.units["lam_thao_new"], PeriodKind.MONTHLY, today)
    ]
    new = commune_contents(commune=co.units["lam_thao_new"], period=july)
    # Tháng Sáu joined Xuân Lũng on 20/06, Châu left Tiên Kiên's team 1 on 25/06: both in the
    # window's first part; the 30/06 → 01/07 transfers count neither way.
    assert (new["joiners"], new["leavers"], new["leavers_a"]) == (1, 1, 1)
    assert new["members"] == 4  # An, Bình, Em, Tháng Sáu serve on 14/07
    assert joiner.pk
    # Dũng's team went to Phùng Nguyên (not carried yet): nothing of it here.
    august = commune_contents(commune=co.units["lam_thao_new"], period=Period.monthly(2025, 8))
    assert (august["joiners"], august["leavers"]) == (0, 0)


def test_the_straddling_report_counts_the_predecessors_june_runs_approved_in_july(co):
    """The old communes' June 2025 runs are approved in July, after their last report window
    (15/05 – 14/06): the new commune's July report (15/06 – 14/07) counts what they paid the
    members it took over, and no later report counts it again. Of split Tiên Kiên, only its
    team 1 came here (keep_plan): team 2's Dũng is the other successor's."""
    import zoneinfo

    from django.db.models import Sum

    from reporting.contents import commune_contents
    from reporting.periods import Period

    approved = datetime.datetime(2025, 7, 5, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    june = D(2025, 6, 1)
    runs = [
        allowances.allowance_run_compute(commune=co.units[unit], month=june, actor=co.users[user])
        for unit, user in (("xuan_lung", "canbo_xa2"), ("tien_kien", "canbo_xa1"))
    ]
    AllowanceRun.objects.filter(pk__in=[r.pk for r in runs]).update(
        state=RunState.APPROVED, approved_at=approved
    )
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    taken = AllowanceLine.objects.filter(run__in=runs).exclude(membership=co.members["dung"])
    paid = taken.aggregate(total=Sum("amount"))["total"]
    assert paid > 0 and taken.values("membership").distinct().count() == 4  # An, Bình, Châu, Em

    new = commune_contents(commune=co.units["lam_thao_new"], period=Period.monthly(2025, 7))
    assert (new["allowance_people"], new["allowance_total"]) == (4, paid)
    old = commune_contents(commune=co.units["xuan_lung"], period=Period.monthly(2025, 6))
    assert old["allowance_total"] == 0  # approved after its window
    later = commune_contents(commune=co.units["lam_thao_new"], period=Period.monthly(2025, 8))
    assert later["allowance_total"] == 0  # counted once


def test_the_new_communes_2025_annual_report_counts_the_predecessors_insurance(co):
    """Tiên Kiên's approved Q2 2025 list supported An in April – June; An came to new Xã Lâm
    Thao (Dũng's team went elsewhere): the 2025 annual report of Lâm Thao counts An's support,
    and Tiên Kiên, which reports no 2025 year, is not where it would be lost."""
    from insurance import services as insurance
    from insurance.models import FundingList, ListState, VsiEnrolment
    from reporting.contents import commune_contents
    from reporting.periods import Period

    _insurance_parameters()
    for key in ("an", "dung"):
        VsiEnrolment.objects.create(
            person=co.members[key].person, income=1_500_000, start_date=D(2025, 4, 1)
        )
    q2 = insurance.funding_list_compute(
        commune=co.units["tien_kien"], quarter=D(2025, 4, 1), actor=co.users["canbo_xa1"]
    )
    FundingList.objects.filter(pk=q2.pk).update(state=ListState.APPROVED)
    an_support = sum(
        line.state_support for line in q2.lines.filter(membership=co.members["an"], scheme="vsi")
    )
    assert an_support > 0 and q2.lines.filter(membership=co.members["dung"]).exists()
    services.commune_carry_over(
        commune=co.units["lam_thao_new"], plan=keep_plan(co), actor=co.users["canbo_xa_moi"]
    )
    year = commune_contents(commune=co.units["lam_thao_new"], period=Period.annual(2025))
    assert (year["vsi_participants"], year["insurance_state_support"]) == (1, an_support)
