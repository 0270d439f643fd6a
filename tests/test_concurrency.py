"""Two people at once, for real: threads with their own database connections on PostgreSQL.

- two officers save the same membership: the second gets a conflict, nothing is lost;
- two finance officers approve the same allowance run: exactly one approval is recorded, and
  two "paid" confirmations cannot pay it twice;
- a run is recomputed while it is being approved: the recomputation waits for the approval
  and is then refused, the approved lines stay as they were;
- a run is submitted while it is being recomputed: the submission waits for the new lines and
  checks those (not the old ones it could see before).

SQLite has one writer at a time and no row locks (`select_for_update` is a no-op there), so
these interleavings cannot happen on it and the module is skipped.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import replace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from allowances import services as allowance_services
from allowances.models import AllowanceRun, RunAction, RunState
from rules.models import Parameter
from teams import services as team_services
from teams.models import Membership, Role
from teams.validation import MembershipData
from tests.builders import make_user

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs PostgreSQL (row locks between connections); SQLite serializes writers",
    ),
    pytest.mark.django_db(transaction=True),
]

AUG = datetime.date(2024, 8, 1)
HOLD = 0.5  # seconds the first transaction keeps its locks at most, so that the second must wait


def in_threads(*functions):
    """Run each function in its own thread (own connection); return (results, errors)."""
    results, errors = [None] * len(functions), [None] * len(functions)

    def runner(i, fn):
        try:
            results[i] = fn()
        except Exception as exc:  # collected and asserted by the test
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    close_old_connections()
    return results, errors


def holding(work, started: threading.Event):
    """`work()` inside a transaction kept open after it ran (like a slow request), signalling
    `started` once its locks are taken; it ends as soon as another connection waits for one
    of its locks (the interleaving the test is about), or after HOLD seconds."""

    def fn():
        with transaction.atomic():
            out = work()
            started.set()
            _until_someone_waits_for_me(HOLD)
        return out

    return fn


def _until_someone_waits_for_me(seconds: float) -> None:
    # pg_locks is read live (pg_stat_activity would be a snapshot held for the transaction).
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
                " AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)


def after(event: threading.Event, work):
    def fn():
        assert event.wait(10)
        with transaction.atomic():
            return work()

    return fn


# --- rosters -----------------------------------------------------------------------------------


def test_two_officers_saving_one_membership_second_gets_a_conflict(roster):
    an = roster.members["an"]
    officer = roster.users["canbo_xa1"]
    version = an.version
    base = MembershipData.from_membership(an)

    def save(number):
        def work():
            m = Membership.objects.select_related("team__commune", "person").get(pk=an.pk)
            data = replace(
                base, appointment_number=number, appointment_date=datetime.date(2024, 7, 14)
            )
            return team_services.membership_update(
                membership=m, data=data, version=version, actor=officer
            )

        return work

    started = threading.Event()
    results, errors = in_threads(
        holding(save("15/QĐ-UBND"), started), after(started, save("16/QĐ-UBND"))
    )
    assert errors[0] is None and results[0] is not None
    assert isinstance(errors[1], team_services.EditConflict), errors[1]
    # the conflict names what the first officer changed
    assert any("15/QĐ-UBND" in str(change) for change in errors[1].changes)
    an.refresh_from_db()
    assert an.appointment_number == "15/QĐ-UBND" and an.version == version + 1


# --- allowance runs ----------------------------------------------------------------------------


@pytest.fixture
def submitted_run(roster):
    run = allowance_services.allowance_run_compute(
        commune=roster.units["tien_kien"], month=AUG, actor=roster.users["canbo_xa1"]
    )
    allowance_services.allowance_run_transition(
        run=run, action="submit", actor=roster.users["canbo_xa1"], seen_state=RunState.DRAFT
    )
    return run


def approve(run_pk, user, seen=RunState.SUBMITTED):
    def work():
        run = AllowanceRun.objects.select_related("commune").get(pk=run_pk)
        return allowance_services.allowance_run_transition(
            run=run, action="approve", actor=user, seen_state=seen
        )

    return work


def test_two_approvers_at_once_approve_exactly_once(roster, submitted_run):
    second = make_user("taichinh_huyen2", (Role.FINANCE_OFFICER, roster.units["lam_thao"]))
    barrier = threading.Barrier(2)

    def together(work):
        def fn():
            barrier.wait(5)
            with transaction.atomic():
                return work()

        return fn

    _results, errors = in_threads(
        together(approve(submitted_run.pk, roster.users["taichinh_huyen"])),
        together(approve(submitted_run.pk, second)),
    )
    assert sorted(e is None for e in errors) == [False, True], errors
    loser = next(e for e in errors if e is not None)
    assert isinstance(loser, ValidationError) and "người khác" in str(loser)
    assert RunAction.objects.filter(run=submitted_run, to_state=RunState.APPROVED).count() == 1
    submitted_run.refresh_from_db()
    assert submitted_run.state == RunState.APPROVED


def test_paying_twice_at_once_pays_once(roster, submitted_run):
    approve(submitted_run.pk, roster.users["taichinh_huyen"])()
    officer = roster.users["canbo_xa1"]

    def pay(reference):
        def work():
            run = AllowanceRun.objects.select_related("commune").get(pk=submitted_run.pk)
            return allowance_services.allowance_run_transition(
                run=run,
                action="pay",
                actor=officer,
                seen_state=RunState.APPROVED,
                payment_reference=reference,
                paid_on=datetime.date(2024, 9, 5),
            )

        return work

    started = threading.Event()
    _results, errors = in_threads(holding(pay("PC-01"), started), after(started, pay("PC-02")))
    assert errors[0] is None and isinstance(errors[1], ValidationError), errors
    assert RunAction.objects.filter(run=submitted_run, to_state=RunState.PAID).count() == 1
    submitted_run.refresh_from_db()
    assert (submitted_run.state, submitted_run.payment_reference) == (RunState.PAID, "PC-01")


def test_recompute_during_approval_waits_and_is_refused(roster, submitted_run):
    lines_before = list(submitted_run.lines.order_by("pk").values_list("pk", "amount"))
    started = threading.Event()

    def recompute():
        commune = AllowanceRun.objects.get(pk=submitted_run.pk).commune
        return allowance_services.allowance_run_compute(
            commune=commune, month=AUG, actor=roster.users["canbo_xa1"]
        )

    _results, errors = in_threads(
        holding(approve(submitted_run.pk, roster.users["taichinh_huyen"]), started),
        after(started, recompute),
    )
    assert errors[0] is None
    assert isinstance(errors[1], ValidationError) and "không tính lại" in str(errors[1])
    submitted_run.refresh_from_db()
    assert submitted_run.state == RunState.APPROVED
    assert list(submitted_run.lines.order_by("pk").values_list("pk", "amount")) == lines_before


def test_submitting_during_a_recompute_checks_the_new_lines(roster):
    officer = roster.users["canbo_xa1"]
    commune = roster.units["tien_kien"]
    run = allowance_services.allowance_run_compute(commune=commune, month=AUG, actor=officer)
    assert not run.lines.exclude(error="").exists()
    started = threading.Event()

    def recompute_without_rates():
        # The rates disappear (an administrator's correction, say) and the run is recomputed:
        # its new lines cannot be computed.
        Parameter.objects.filter(jurisdiction="25", key__startswith="support.").delete()
        return allowance_services.allowance_run_compute(commune=commune, month=AUG, actor=officer)

    def submit():
        r = AllowanceRun.objects.select_related("commune").get(pk=run.pk)
        return allowance_services.allowance_run_transition(
            run=r, action="submit", actor=officer, seen_state=RunState.DRAFT
        )

    _results, errors = in_threads(holding(recompute_without_rates, started), after(started, submit))
    assert errors[0] is None
    assert isinstance(errors[1], ValidationError), errors[1]
    assert "chưa áp dụng được quy định" in str(errors[1])
    run.refresh_from_db()
    assert run.state == RunState.DRAFT
