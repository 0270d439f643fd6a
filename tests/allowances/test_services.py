"""Allowance runs end to end on the `roster` fixture (Tiên Kiên: An Tổ trưởng, Bình Tổ phó,
Châu Tổ viên in Khu 1 and Dũng Tổ trưởng in Khu 2, all from 15/07/2024, Phú Thọ rules)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from allowances import services
from allowances.models import AllowanceLine, AllowanceRun, LineKind, RunState
from rules.base import DutyKind
from rules.models import Parameter
from rules.parameters import ParameterValue, Unit
from teams.models import Membership

D = datetime.date
AUG, SEP = D(2024, 8, 1), D(2024, 9, 1)
JULY_1 = D(2024, 7, 1)


def compute(roster, month, commune="tien_kien", user="canbo_xa1"):
    return services.allowance_run_compute(
        commune=roster.units[commune], month=month, actor=roster.users[user]
    )


def approve(roster, run):
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    services.allowance_run_transition(
        run=run, action="approve", actor=roster.users["taichinh_huyen"]
    )
    run.refresh_from_db()
    return run


def amounts(run, kind=LineKind.MONTHLY):
    return {line.person_name: line.amount for line in run.lines.filter(kind=kind)}


def test_a_full_month_pays_each_role_its_rate(roster):
    run = compute(roster, AUG)
    assert amounts(run) == {
        "Nguyễn Văn An": 1_100_000,
        "Trần Thị Bình": 1_050_000,
        "Lê Minh Châu": 1_000_000,
        "Phạm Đức Dũng": 1_100_000,
    }
    leaders = run.lines.filter(role="to_truong")
    assert leaders[0].snapshot_id == leaders[1].snapshot_id  # one snapshot, shared
    snapshot = leaders[0].snapshot
    assert snapshot.rule_module == "rules.jurisdictions.j25_phu_tho_2024"
    assert "NQ 03/2024/NQ-HĐND tỉnh Phú Thọ" in snapshot.citation
    assert {p["key"] for p in snapshot.parameters} >= {"support.to_truong"}


def test_the_first_month_is_pro_rata_from_the_start_date(roster):
    run = compute(roster, D(2024, 7, 1))
    line = run.lines.get(person_name="Nguyễn Văn An")
    assert (line.active_days, line.days_in_month) == (17, 31)
    assert line.amount == 603_226  # 1,100,000 × 17 / 31 = 603,225.8… → 603,226


def test_recomputing_an_open_run_replaces_its_lines(roster):
    run = compute(roster, AUG)
    again = compute(roster, AUG)
    assert run.pk == again.pk
    assert AllowanceLine.objects.filter(run=run).count() == 4


@pytest.mark.parametrize(
    ("month", "message"),
    [(D(2025, 7, 1), "đã kết thúc hoạt động"), (D(2030, 1, 1), "chưa đến")],
)
def test_months_outside_the_communes_life_or_to_come_are_refused(roster, month, message):
    with pytest.raises(ValidationError, match=message):
        compute(roster, month)
    assert not AllowanceRun.objects.exists()


def test_an_approved_run_is_read_only(roster):
    run = approve(roster, compute(roster, AUG))
    with pytest.raises(ValidationError, match="Đã duyệt"):
        compute(roster, AUG)
    assert run.approved_at is not None
    assert list(run.actions.values_list("to_state", flat=True)) == ["submitted", "approved"]


def test_only_finance_approves_and_a_return_needs_a_reason(roster):
    run = compute(roster, AUG)
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    with pytest.raises(PermissionDenied):
        services.allowance_run_transition(
            run=run, action="approve", actor=roster.users["canbo_xa1"]
        )
    with pytest.raises(PermissionDenied):
        services.allowance_run_transition(
            run=run, action="approve", actor=roster.users["taichinh_khac"]
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.allowance_run_transition(
            run=run, action="return", actor=roster.users["taichinh_huyen"]
        )
    services.allowance_run_transition(
        run=run, action="return", comment="Sai số tài khoản", actor=roster.users["taichinh_huyen"]
    )
    assert AllowanceRun.objects.get().state == RunState.RETURNED


def test_a_stale_run_cannot_be_submitted(roster):
    run = compute(roster, AUG)
    membership = roster.members["chau"]
    membership.role = "to_pho"  # a change that changes what the run pays
    membership.save()
    with pytest.raises(ValidationError, match="Tính lại"):
        services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])


def test_touching_a_record_without_changing_the_figures_is_not_a_change(roster):
    """Issue 16 §5: a returned run said the data had changed when computing it again gave the
    same figures. Only a difference in the lines counts."""
    run = compute(roster, AUG)
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    services.allowance_run_transition(
        run=run, action="return", comment="Sai số tài khoản", actor=roster.users["taichinh_huyen"]
    )
    run.refresh_from_db()
    roster.members["chau"].save()  # saved again, nothing different
    assert not services.run_is_stale(run)
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    assert AllowanceRun.objects.get().state == RunState.SUBMITTED


def test_a_new_parameter_that_changes_an_amount_is_a_change(roster):
    run = compute(roster, AUG)
    Parameter.objects.create(
        key="support.to_vien", jurisdiction="25", value="1200000", unit="vnd",
        effective_from=AUG, citation="NQ sửa đổi (thử nghiệm)",
    )  # fmt: skip
    assert services.run_is_stale(run)


def test_rule_errors_block_submission(roster):
    duty_rate_missing = services.DutyData(roster.members["an"], D(2024, 8, 3), DutyKind.NIGHT)
    services.duty_entry_add(data=duty_rate_missing, actor=roster.users["canbo_xa1"])
    run = compute(roster, AUG)
    error = run.lines.get(kind=LineKind.DUTY)
    assert "Chưa có giá trị tham số" in error.error and error.amount == 0
    with pytest.raises(ValidationError, match="chưa áp dụng được quy định"):
        services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])


def night_rate(amount=100_000, start=JULY_1):
    Parameter.objects.create(
        key="duty.night.rate",
        jurisdiction="25",
        value=str(amount),
        unit="vnd",
        effective_from=start,
        citation="Quyết định của UBND tỉnh Phú Thọ (thử nghiệm)",
    )


def test_duty_entries_make_a_duty_line(roster):
    night_rate()
    for day in (3, 10):
        services.duty_entry_add(
            data=services.DutyData(roster.members["an"], D(2024, 8, day), DutyKind.NIGHT),
            actor=roster.users["canbo_xa1"],
        )
    run = compute(roster, AUG)
    assert amounts(run, LineKind.DUTY) == {"Nguyễn Văn An": 200_000}


def test_duty_entries_recorded_together_are_checked_each_and_written_all_or_none(roster):
    """`duty_entries_add` (a month of nights at once; the demo's log): each entry checked as
    one is, the month's run state read once, the entries and their history rows written
    together, or nothing when one entry is refused."""
    from allowances.models import DutyEntry

    night_rate()
    officer, an, chau = roster.users["canbo_xa1"], roster.members["an"], roster.members["chau"]
    entries = [
        services.DutyData(an, D(2024, 8, 3), DutyKind.NIGHT),
        services.DutyData(chau, D(2024, 8, 10), DutyKind.NIGHT, note="  Trực lễ hội  "),
    ]
    with pytest.raises(ValidationError, match="ngoài thời gian tham gia"):
        services.duty_entries_add(
            entries=[*entries, services.DutyData(an, D(2024, 7, 1), DutyKind.NIGHT)],
            actor=officer,
        )
    assert not DutyEntry.objects.exists()
    added = services.duty_entries_add(entries=entries, actor=officer)
    assert [(e.membership_id, e.day, e.note, notice) for e, notice in added] == [
        (an.pk, D(2024, 8, 3), "", ""),
        (chau.pk, D(2024, 8, 10), "Trực lễ hội", ""),
    ]
    history = DutyEntry.history.order_by("history_id")
    assert [(h.id, h.history_type, h.history_user_id) for h in history] == [
        (e.pk, "+", officer.pk) for e, _notice in added
    ]
    assert amounts(compute(roster, AUG), LineKind.DUTY) == {
        "Nguyễn Văn An": 100_000,
        "Lê Minh Châu": 100_000,
    }


def test_duty_outside_the_membership_is_refused(roster):
    with pytest.raises(ValidationError, match="ngoài thời gian tham gia"):
        services.duty_entry_add(
            data=services.DutyData(roster.members["an"], D(2024, 7, 1), DutyKind.NIGHT),
            actor=roster.users["canbo_xa1"],
        )


def test_a_late_duty_entry_in_an_approved_month_becomes_arrears_next_month(roster):
    night_rate()
    approve(roster, compute(roster, AUG))
    _entry, notice = services.duty_entry_add(
        data=services.DutyData(roster.members["chau"], D(2024, 8, 20), DutyKind.NIGHT),
        actor=roster.users["canbo_xa1"],
    )
    assert "truy lĩnh" in notice
    september = compute(roster, SEP)
    arrears = september.lines.get(kind=LineKind.ARREARS)
    assert (arrears.person_name, arrears.amount, arrears.reference_month) == (
        "Lê Minh Châu",
        100_000,
        AUG,
    )
    assert arrears.cause == {"paid": 1_000_000, "expected": 1_100_000}
    labels = [item["label"] for item in arrears.snapshot.trace]
    assert "Nguyên nhân" in labels
    # August itself is untouched.
    assert AllowanceRun.objects.get(month=AUG).lines.count() == 4


def test_arrears_are_not_paid_twice(roster):
    night_rate()
    approve(roster, compute(roster, AUG))
    services.duty_entry_add(
        data=services.DutyData(roster.members["chau"], D(2024, 8, 20), DutyKind.NIGHT),
        actor=roster.users["canbo_xa1"],
    )
    approve(roster, compute(roster, SEP))
    october = compute(roster, D(2024, 10, 1))
    assert not october.lines.filter(kind=LineKind.ARREARS).exists()


def raise_to_vien(amount=1_200_000, start=AUG):
    return ParameterValue(
        "support.to_vien",
        "25",
        amount,
        Unit.VND,
        start,
        "NQ sửa đổi của HĐND tỉnh Phú Thọ (thử nghiệm)",
    )


def test_what_if_shows_the_effect_before_saving(roster):
    approve(roster, compute(roster, AUG))
    rows = services.parameter_preview(draft=raise_to_vien(), months=[AUG, SEP])
    august = next(r for r in rows if r.month == AUG and r.commune == roster.units["tien_kien"])
    assert (august.current, august.proposed, august.difference, august.basis) == (
        4_250_000,
        4_450_000,
        200_000,
        "paid",
    )
    september = next(r for r in rows if r.month == SEP and r.commune == roster.units["tien_kien"])
    assert september.basis == "computed" and september.difference == 200_000
    assert not Parameter.objects.filter(key="support.to_vien", effective_from=AUG).exists()


def test_saving_a_late_rate_puts_arrears_in_the_next_open_run(roster):
    approve(roster, compute(roster, AUG))
    parameter, refreshed = services.parameter_save(
        draft=raise_to_vien(), actor=roster.users["admin"]
    )
    assert parameter.origin == Parameter.Origin.ADMIN and parameter.created_by.is_superuser
    assert [r.month for r in refreshed] == [SEP]
    september = refreshed[0]
    arrears = september.lines.get(kind=LineKind.ARREARS)
    assert (arrears.person_name, arrears.amount) == ("Lê Minh Châu", 200_000)
    change = [i for i in arrears.snapshot.trace if i["label"].startswith("Thay đổi tham số")]
    assert change and change[0]["formula"] == "1.000.000 đ → 1.200.000 đ"
    assert "thử nghiệm" in change[0]["citation"]
    assert amounts(september)["Lê Minh Châu"] == 1_200_000


def test_the_same_day_cannot_be_saved_twice(roster):
    services.parameter_save(draft=raise_to_vien(), actor=roster.users["admin"])
    with pytest.raises(ValidationError, match="Đã có giá trị"):
        services.parameter_save(draft=raise_to_vien(), actor=roster.users["admin"])


def test_paying_needs_a_voucher_number(roster):
    run = approve(roster, compute(roster, AUG))
    with pytest.raises(ValidationError, match="chứng từ"):
        services.allowance_run_transition(run=run, action="pay", actor=roster.users["canbo_xa1"])
    services.allowance_run_transition(
        run=run, action="pay", actor=roster.users["canbo_xa1"], payment_reference="PC 15/08"
    )
    run.refresh_from_db()
    assert run.state == RunState.PAID and run.payment_reference == "PC 15/08"


def test_many_communes_at_once_give_the_same_lines(roster):
    communes = [roster.units["tien_kien"], roster.units["xuan_lung"]]
    outcome = services.allowance_runs_compute(
        communes=communes, month=AUG, actor=roster.users["admin"]
    )
    assert (outcome.runs, outcome.lines, outcome.errors, outcome.skipped) == (2, 5, 0, [])
    tien_kien = AllowanceRun.objects.get(commune=roster.units["tien_kien"])
    assert amounts(tien_kien)["Nguyễn Văn An"] == 1_100_000
    assert amounts(AllowanceRun.objects.get(commune=roster.units["xuan_lung"])) == {
        "Hoàng Văn Em": 1_100_000
    }


def test_many_communes_computed_again_replace_their_lines(roster):
    """The first computation of a month creates the runs and has nothing to delete; computing
    again replaces each run's lines rather than adding to them."""
    communes = [roster.units["tien_kien"], roster.units["xuan_lung"]]
    first = services.allowance_runs_compute(
        communes=communes, month=AUG, actor=roster.users["admin"]
    )
    before = sorted(
        AllowanceLine.objects.filter(run__month=AUG).values_list("run_id", "person_name", "amount")
    )
    again = services.allowance_runs_compute(
        communes=communes, month=AUG, actor=roster.users["admin"]
    )
    assert (again.runs, again.lines) == (first.runs, first.lines) == (2, 5)
    after = sorted(
        AllowanceLine.objects.filter(run__month=AUG).values_list("run_id", "person_name", "amount")
    )
    assert after == before and len(after) == 5


def test_many_communes_skip_runs_already_submitted(roster):
    run = compute(roster, AUG)
    services.allowance_run_transition(run=run, action="submit", actor=roster.users["canbo_xa1"])
    outcome = services.allowance_runs_compute(
        communes=[roster.units["tien_kien"], roster.units["xuan_lung"]],
        month=AUG,
        actor=roster.users["admin"],
    )
    assert [r.pk for r in outcome.skipped] == [run.pk] and outcome.runs == 1
    assert run.lines.count() == 4


def test_the_calculator_command_gives_the_runs_numbers(roster, capsys):
    import json

    from django.core.management import call_command

    run = compute(roster, AUG)
    for role in ("to_truong", "to_pho", "to_vien"):
        call_command(
            "rules", "monthly", "--jurisdiction", "25", "--role", role, "--month", "2024-08"
        )
        expected = json.loads(capsys.readouterr().out)["amount"]
        assert set(
            run.lines.filter(role=role, kind=LineKind.MONTHLY).values_list("amount", flat=True)
        ) == {expected}


def test_percent_of_regional_wage_needs_the_communes_region(roster):
    from tests.builders import add_member, make_area, make_team, make_unit

    bac_lieu = make_unit("95", "Tỉnh Bạc Liêu", "tinh")
    commune = make_unit(
        "32000", "Xã Thử", "xa", parent=make_unit("954", "Huyện Thử", "huyen", parent=bac_lieu)
    )
    team = make_team(commune, "Tổ bảo vệ ANTT Ấp 1", make_area(commune, "Ấp 1", 300))
    add_member(team, role="to_truong", start_date=JULY_1)
    officer = roster.users["admin"]
    run = services.allowance_run_compute(commune=commune, month=AUG, actor=officer)
    assert "vùng" in run.lines.get().error
    commune.minimum_wage_region = "III"
    commune.save()
    run = services.allowance_run_compute(commune=commune, month=AUG, actor=officer)
    assert run.lines.get().amount == 1_544_000  # 40 % × 3,860,000 (Decree 74/2024, region III)


# --- arrears set-based, unchanged approved months skipped --------------------------------------


def _approve_months(roster, months, communes=("tien_kien",)):
    users = {"tien_kien": "canbo_xa1", "xuan_lung": "canbo_xa2"}
    for month in months:
        for commune in communes:
            run = compute(roster, month, commune, users[commune])
            services.allowance_run_transition(
                run=run, action="submit", actor=roster.users[users[commune]]
            )
            services.allowance_run_transition(
                run=run, action="approve", actor=roster.users["taichinh_huyen"]
            )


def _months_computed(monkeypatch):
    computed = []
    real = services.compute_lines

    def counting(members, *, month, params):
        computed.append(month)
        return real(members, month=month, params=params)

    monkeypatch.setattr(services, "compute_lines", counting)
    return computed


def test_approved_months_whose_inputs_did_not_change_are_not_recomputed(roster, monkeypatch):
    night_rate()
    _approve_months(roster, [AUG, SEP, D(2024, 10, 1)])
    computed = _months_computed(monkeypatch)
    november = compute(roster, D(2024, 11, 1))
    assert computed == [D(2024, 11, 1)]  # the three approved months are skipped
    assert not november.lines.filter(kind=LineKind.ARREARS).exists()

    # A late duty entry in August: only August is recomputed (the other approved months read
    # nothing that changed), and its difference is paid in November.
    services.duty_entry_add(
        data=services.DutyData(roster.members["chau"], D(2024, 8, 20), DutyKind.NIGHT),
        actor=roster.users["canbo_xa1"],
    )
    computed.clear()
    november = compute(roster, D(2024, 11, 1))
    assert sorted(computed) == [AUG, D(2024, 11, 1)]
    arrears = november.lines.get(kind=LineKind.ARREARS)
    assert (arrears.reference_month, arrears.amount) == (AUG, 100_000)

    # A change to the roster itself may touch any month: every approved month is recomputed
    # (once each), and August's difference is still the only one.
    Membership.objects.filter(pk=roster.members["chau"].pk).update(updated_at=timezone.now())
    computed.clear()
    november = compute(roster, D(2024, 11, 1))
    assert sorted(computed) == [AUG, SEP, D(2024, 10, 1), D(2024, 11, 1)]
    arrears = november.lines.get(kind=LineKind.ARREARS)
    assert (arrears.reference_month, arrears.amount) == (AUG, 100_000)


def test_arrears_queries_do_not_grow_with_communes_or_months(roster):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    night_rate()
    both = ("tien_kien", "xuan_lung")
    _approve_months(roster, [AUG, SEP], both)

    def recompute(month):
        # Something changed in every commune since its approvals: every approved month is read.
        for key in ("chau", "em"):
            services.duty_entry_add(
                data=services.DutyData(roster.members[key], D(2024, 8, 20), DutyKind.NIGHT),
                actor=roster.users["canbo_xa1" if key == "chau" else "canbo_xa2"],
            )
        with CaptureQueriesContext(connection) as queries:
            outcome = services.allowance_runs_compute(
                communes=[roster.units[c] for c in both],
                month=month,
                actor=roster.users["canbo_xa1"],
            )
        assert outcome.runs == 2
        return len(queries)

    two_months = recompute(D(2024, 10, 1))
    from allowances.models import DutyEntry

    DutyEntry.objects.all().delete()
    _approve_months(roster, [D(2024, 10, 1), D(2024, 11, 1)], both)
    four_months = recompute(D(2024, 12, 1))
    assert four_months <= two_months  # (the snapshot store may find its traces already saved)


def test_a_duty_entry_written_without_history_still_reopens_its_approved_month(roster):
    """Entries written in bulk (an import) leave no history row: their creation time counts."""
    from allowances.models import DutyEntry

    night_rate()
    _approve_months(roster, [AUG, SEP])
    DutyEntry.objects.bulk_create(
        [
            DutyEntry(
                membership=roster.members["chau"],
                day=D(2024, 8, 20),
                kind=DutyKind.NIGHT,
                units=1,
                created_by=roster.users["canbo_xa1"],
            )
        ]
    )
    october = compute(roster, D(2024, 10, 1))
    arrears = october.lines.get(kind=LineKind.ARREARS)
    assert (arrears.reference_month, arrears.amount) == (AUG, 100_000)


def test_one_month_read_alone_is_that_month_read_with_others(roster):
    """months_of_members builds a single month (a run) as the rows arrive and several months
    (arrears) from the rows kept: the same members, facts, dates and duty units either way."""
    night_rate()
    for member, day in (("an", D(2024, 8, 3)), ("an", D(2024, 9, 10)), ("chau", D(2024, 8, 20))):
        services.duty_entry_add(
            data=services.DutyData(roster.members[member], day, DutyKind.NIGHT),
            actor=roster.users["canbo_xa1"],
        )
    communes = [roster.units["tien_kien"], roster.units["xuan_lung"]]
    together = services.months_of_members(communes=communes, months=[JULY_1, AUG, SEP])
    for month in (JULY_1, AUG, SEP):
        alone = services.months_of_members(communes=communes, months=[month])
        assert alone[month] == together[month] and alone[month][0]
    assert [m.membership_id for m in together[AUG][0]] == sorted(
        m.membership_id for m in together[AUG][0]
    )
    assert any(m.duty for m in together[AUG][0]) and any(m.duty for m in together[SEP][0])


# --- which approved months are read again (issue 17: decided in the database) ----------------

OCT, NOV = D(2024, 10, 1), D(2024, 11, 1)


def _submit_and_approve(roster, run, commune="tien_kien"):
    officer = {"tien_kien": "canbo_xa1", "xuan_lung": "canbo_xa2"}[commune]
    services.allowance_run_transition(run=run, action="submit", actor=roster.users[officer])
    services.allowance_run_transition(
        run=run, action="approve", actor=roster.users["taichinh_huyen"]
    )


def test_months_approved_out_of_order_are_all_recomputed(roster, monkeypatch):
    """September computed before August was approved: September's computation did not see
    August as approved, so nothing vouches for the months, and every one is read again."""
    night_rate()
    august, september = compute(roster, AUG), compute(roster, SEP)
    _submit_and_approve(roster, august)
    _submit_and_approve(roster, september)
    computed = _months_computed(monkeypatch)
    compute(roster, OCT)
    assert sorted(computed) == [AUG, SEP, OCT]

    # Once a month is approved in order after them, the latest computation vouches for the
    # earlier ones only if the whole history is in order: it is not, so they are read again.
    _submit_and_approve(roster, AllowanceRun.objects.get(month=OCT))
    computed.clear()
    compute(roster, NOV)
    assert sorted(computed) == [AUG, SEP, OCT, NOV]


def test_an_approved_month_never_computed_counts_as_out_of_order(roster, monkeypatch):
    night_rate()
    _approve_months(roster, [AUG, SEP])
    AllowanceRun.objects.filter(month=AUG).update(computed_at=None)
    computed = _months_computed(monkeypatch)
    compute(roster, OCT)
    assert sorted(computed) == [AUG, SEP, OCT]


def test_an_error_line_in_the_latest_approved_run_recomputes_every_month(roster, monkeypatch):
    """The latest approved run could not recompute an earlier month (an arrears line with an
    error): it vouches for nothing, even though nothing changed since."""
    night_rate()
    _approve_months(roster, [AUG, SEP])
    september = AllowanceRun.objects.get(month=SEP)
    AllowanceLine.objects.create(
        run=september, membership=roster.members["chau"], kind=LineKind.ARREARS,
        reference_month=AUG, amount=0, error="Không tính lại được tháng 08/2024",
    )  # fmt: skip
    computed = _months_computed(monkeypatch)
    compute(roster, OCT)
    assert sorted(computed) == [AUG, SEP, OCT]


def test_a_change_counts_only_after_each_communes_latest_computation(roster, monkeypatch):
    """Tiên Kiên's roster changed after its September run was computed, Xuân Lũng's before its
    own: only Tiên Kiên's approved months are read again."""
    night_rate()
    _approve_months(roster, [AUG], ("tien_kien", "xuan_lung"))
    _approve_months(roster, [SEP], ("tien_kien",))
    Membership.objects.filter(pk=roster.members["em"].pk).update(updated_at=timezone.now())
    _approve_months(roster, [SEP], ("xuan_lung",))
    Membership.objects.filter(pk=roster.members["chau"].pk).update(updated_at=timezone.now())
    computed = _months_computed(monkeypatch)
    outcome = services.allowance_runs_compute(
        communes=[roster.units["tien_kien"], roster.units["xuan_lung"]],
        month=OCT,
        actor=roster.users["admin"],
    )
    assert outcome.runs == 2
    # One computation per month for both communes: October, and Tiên Kiên's two months.
    assert sorted(computed) == [AUG, SEP, OCT]


def test_a_change_made_while_a_run_computes_counts_as_after_it(roster, monkeypatch):
    """The run read the roster, then a member changed before the run had finished (another
    officer's save, while a national run takes seconds): the run did not see the change, so
    its month must be read again. The run's time is when it started reading, not when it
    ended."""
    night_rate()
    real = services._computed_lines

    def changed_meanwhile(runs, *, month):
        computed = real(runs, month=month)
        if month == SEP:
            Membership.objects.filter(pk=roster.members["chau"].pk).update(
                updated_at=timezone.now()
            )
        return computed

    monkeypatch.setattr(services, "_computed_lines", changed_meanwhile)
    _approve_months(roster, [AUG, SEP])
    computed = _months_computed(monkeypatch)
    compute(roster, OCT)
    assert sorted(computed) == [AUG, SEP, OCT]


def test_a_duty_change_after_the_latest_computation_reads_its_month_only(roster, monkeypatch):
    """A duty entry of August changed after September's run: August is read again; one made
    before September's run was computed had been seen by it, and reads nothing again."""
    night_rate()
    _approve_months(roster, [AUG])
    services.duty_entry_add(
        data=services.DutyData(roster.members["chau"], D(2024, 8, 20), DutyKind.NIGHT),
        actor=roster.users["canbo_xa1"],
    )
    _approve_months(roster, [SEP])  # September paid August's arrears
    computed = _months_computed(monkeypatch)
    october = compute(roster, OCT)
    assert computed == [OCT]
    assert not october.lines.filter(kind=LineKind.ARREARS).exists()
    services.duty_entry_add(
        data=services.DutyData(roster.members["chau"], D(2024, 9, 20), DutyKind.NIGHT),
        actor=roster.users["canbo_xa1"],
    )
    computed.clear()
    october = compute(roster, OCT)
    assert sorted(computed) == [SEP, OCT]
    arrears = october.lines.get(kind=LineKind.ARREARS)
    assert (arrears.reference_month, arrears.amount) == (SEP, 100_000)


def test_no_commune_has_no_stale_month(roster):
    """The history query with an empty list of communes (SQLite compiles no IN () at all)."""
    _approve_months(roster, [AUG])
    assert services._stale_months([], SEP) == {}
    assert services._stale_months([roster.units["tien_kien"]], SEP) == {}
