"""Demo allowance runs: what a commune's year of payments looks like.

- old Phú Thọ (7 communes): July 2024 – June 2025 computed, approved by the district finance
  office and paid; Xuân Lũng's September 2024 list is returned once and resubmitted; Tiên
  Kiên's June 2025 list is approved but not yet paid;
- new Cần Thơ (4 communes, rules of 92, 93 and 94): July 2025 – September 2026 approved and
  paid by each commune's economic office, October 2026 submitted (waiting in the queue),
  November 2026 computed as a draft; new Xã Lâm Thao (Phú Thọ, rosters carried over from
  Thị trấn Lâm Thao and Thị trấn Hùng Sơn) the same, approved by its economic office. The two communes under old Cần Thơ's rules (92) stay
  drafts: its role add-ons are unconfirmed, and the lists say which parameter to enter. Vị Thủy (Hậu Giang rules, which pay duty stipends) keeps
  a duty log, and one night entered after August 2025 was approved shows up as arrears in
  September 2025.

Approval and payment dates are set to plausible days (the 5th and 10th of the next month) so
the payment lists carry realistic dates.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.periods import Month
from core.setsql import update_by_pk
from rules.base import DutyKind
from rules.models import Parameter
from teams.demo import demo_communes, removal, touched_communes
from teams.models import Assignment, Role, Tree, User

from . import services
from .models import AllowanceLine, AllowanceRun, DutyEntry, RunAction, RunState

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
LEGACY_MONTHS = (D(2024, 7, 1), D(2025, 6, 1))
CURRENT_MONTHS = (D(2025, 7, 1), D(2026, 11, 1))


def _months(first: datetime.date, last: datetime.date):
    month = first
    while month <= last:
        yield month
        month = Month.of(month).next().first_day


def _approver(commune, finance: dict):
    return finance.get(commune.pk) or finance.get(commune.parent_id)


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


# Phú Thọ pays concurrent posts relative to the other posts' own rates (NQ 03/2024), which other
# resolutions set and which are not in this project's sources. The demo enters round figures
# for them, marked as demonstration values, the way a provincial administrator would enter the
# real ones (rules.models.Parameter, origin "admin").
DEMO_POST_RATES = {
    "post_rate.doi_truong_dan_phong": 900_000,
    "post_rate.doi_pho_dan_phong": 800_000,
    "post_rate.khong_chuyen_trach_kdc": 1_500_000,
    "post_rate.truc_tiep_kdc": 600_000,
}
DEMO_NOTE = "Giá trị trình diễn do seed_demo nhập, không phải số liệu chính thức của tỉnh."


def seed_demo_parameters() -> None:
    admin = User.objects.get(username="admin")
    for key, amount in DEMO_POST_RATES.items():
        Parameter.objects.get_or_create(
            key=key,
            jurisdiction="25",
            effective_from=D(2024, 7, 1),
            defaults={
                "value": str(amount),
                "unit": "vnd",
                "source": "demo",
                "note": DEMO_NOTE,
                "citation": "Dữ liệu trình diễn (mức của chức danh kiêm nhiệm do nghị "
                "quyết khác của HĐND tỉnh quy định)",
                "origin": Parameter.Origin.ADMIN,
                "created_by": admin,
            },
        )


@transaction.atomic
def seed_runs(*, rng: random.Random) -> dict[str, int]:
    seed_demo_parameters()
    officers, finance = {}, {}
    for a in Assignment.objects.select_related("user", "unit"):
        if a.role == Role.COMMUNE_OFFICER:
            officers[a.unit_id] = a.user
        elif a.role == Role.FINANCE_OFFICER:
            finance[a.unit_id] = a.user
    today = timezone.localdate()
    totals = {"runs": 0, "approved": 0, "duty": 0, "blocked": 0}
    # Month by month, every commune of the month in one set-based computation (as a province's
    # finance office would: `allowance_runs_compute`), the month before approved first so that
    # arrears see it. A commune's months follow each other as before, and the duty log is kept
    # by one commune only, so the random draws (and the demo) are those of a commune-by-commune
    # walk; an old commune's June 2025 is approved before its successor's July is computed.
    spans = {}
    for commune in demo_communes():
        first, last = LEGACY_MONTHS if commune.tree == Tree.LEGACY else CURRENT_MONTHS
        spans[commune.pk] = (commune, first, min(last, today.replace(day=1)), last)
    # When each approved run was "computed", a few days before its approval: written once all
    # the months are computed. Written month by month, a computation time before the members'
    # and parameters' own (today) made every approved month stale (`_stale_months`), and each
    # month recomputed the whole history for arrears; the real times keep them current, as
    # they are for an office that computes month after month. The same lines either way.
    backdated: dict[int, datetime.datetime | None] = {}
    start = min(first for _c, first, _e, _l in spans.values())
    end = max(stop for _c, _f, stop, _l in spans.values())
    for month in _months(start, end):
        communes = [c for c, first, stop, _l in spans.values() if first <= month <= stop]
        for commune in communes:
            if commune.jurisdiction == "93":  # Hậu Giang's rules pay duty stipends
                totals["duty"] += _duty_log(commune, month, officers[commune.pk], rng)
            if commune.code == "31441" and month == D(2025, 9, 1):
                _late_night(commune, officers[commune.pk])
        services.allowance_runs_compute(
            communes=communes, month=month, actor=officers[communes[0].pk]
        )
        blocked = set(
            AllowanceLine.objects.filter(run__month=month, run__commune__in=communes)
            .exclude(error="")
            .values_list("run__commune_id", flat=True)
        )
        runs = {
            r.commune_id: r
            for r in AllowanceRun.objects.filter(month=month, commune__in=communes).select_related(
                "commune"
            )
        }
        # The month's steps are checked one by one as `allowance_run_transition` checks them
        # (`allowance_run_step_check`), then written together: their actions in one INSERT,
        # the runs in one UPDATE, the actions' times in another (ten queries per run before).
        actions: list[RunAction] = []
        approved: dict[int, datetime.date] = {}
        for commune in communes:
            run, (_c, _first, _stop, last) = runs[commune.pk], spans[commune.pk]
            officer, legacy = officers[commune.pk], commune.tree == Tree.LEGACY
            run.computed_by = officer
            totals["runs"] += 1
            if not legacy and month == last:
                continue  # this month's list is still being prepared
            if commune.pk in blocked:
                # Old Cần Thơ (92) has unconfirmed role add-ons: the list shows which parameter
                # an administrator must enter, and stays a draft until then.
                totals["blocked"] += 1
                continue
            day = _walk(
                run, officer, _approver(commune, finance), commune, month, legacy, last, actions
            )
            if day is not None:
                approved[run.pk] = day
                backdated[run.pk] = run.computed_at
            totals["approved"] += run.state in (RunState.APPROVED, RunState.PAID)
        RunAction.objects.bulk_create(actions)
        AllowanceRun.objects.bulk_update(
            list(runs.values()),
            ["computed_by", "state", "approved_at", "paid_on", "payment_reference"],
        )
        moments = {}
        for action in actions:
            if action.run_id in approved:
                day = approved[action.run_id]
                day = {
                    "submitted": day - datetime.timedelta(days=2),
                    "returned": day - (datetime.timedelta(days=1)),
                    "approved": day,
                    "paid": day + datetime.timedelta(days=5),
                }[action.to_state]
                moments[action.pk] = _moment(day, 9 + action.pk % 7)
        update_by_pk(RunAction, "at", moments)
    update_by_pk(AllowanceRun, "computed_at", backdated)
    return totals


def _walk(run, officer, approver, commune, month, legacy, last, actions) -> datetime.date | None:
    """The run's steps, checked, applied to `run` in memory and added to `actions`; the day
    it was approved, if it was."""

    def step(action, actor, comment="", payment_reference=""):
        state = services.allowance_run_step_check(
            run=run,
            state=run.state,
            action=action,
            actor=actor,
            comment=comment,
            payment_reference=payment_reference,
        )
        actions.append(
            RunAction(
                run=run, actor=actor, from_state=run.state, to_state=state, comment=comment.strip()
            )
        )
        run.state = state

    step("submit", officer)
    if commune.code == "08500" and month == D(2024, 9, 1):
        step(
            "return",
            approver,
            comment="Đề nghị bổ sung số quyết định công nhận của thành viên mới vào tháng 9.",
        )
        step("submit", officer)
    if not legacy and month == Month.of(last).previous().first_day:
        return None  # the month before the current one waits in the finance queue
    step("approve", approver)
    approved = Month.of(month).next().first_day + datetime.timedelta(days=4)
    if not (commune.code == "08497" and month == LEGACY_MONTHS[1]):
        reference = f"PC {month.month:02d}/{month.year}"
        step("pay", officer, payment_reference=reference)
        run.payment_reference = reference.strip()
        run.paid_on = approved + datetime.timedelta(days=5)
    run.approved_at = _moment(approved)
    run.computed_at = _moment(approved - datetime.timedelta(days=3), 8)
    return approved


def _duty_log(commune, month, officer, rng) -> int:
    """A few nights and holiday duties for some members of the commune's teams."""
    from .selectors import memberships_in_month

    members = list(memberships_in_month(commune=commune, month=month))
    entries = []
    for membership in rng.sample(members, k=min(len(members), 6)):
        for _ in range(rng.randint(1, 4)):
            day = month.replace(day=rng.randint(1, 28))
            if (
                day < membership.start_date
                or day > timezone.localdate()
                or (membership.end_date and day > membership.end_date)
            ):
                continue
            kind = DutyKind.NIGHT if rng.random() < 0.8 else DutyKind.HOLIDAY
            entries.append(services.DutyData(membership, day, kind))
    services.duty_entries_add(entries=entries, actor=officer)
    return len(entries)


def _late_night(commune, officer) -> None:
    """A night of August 2025 recorded in September, after August was approved."""
    from .selectors import memberships_in_month

    membership = memberships_in_month(commune=commune, month=D(2025, 8, 1)).first()
    assert membership is not None, "the demo commune has members in August 2025"
    services.duty_entry_add(
        data=services.DutyData(
            membership, D(2025, 8, 30), DutyKind.NIGHT, note="Bổ sung: trực đêm 30/8 báo muộn"
        ),
        actor=officer,
    )


@removal()
def remove_runs() -> None:
    Parameter.objects.filter(note=DEMO_NOTE).delete()
    communes = touched_communes()
    AllowanceRun.objects.filter(commune__in=communes).delete()
    entries = DutyEntry.objects.filter(membership__team__commune__in=communes)
    ids = list(entries.values_list("pk", flat=True))
    entries.delete()
    DutyEntry.history.filter(id__in=ids).delete()
