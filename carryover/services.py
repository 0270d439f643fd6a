"""Writes for the carry-over: one new commune (`commune_carry_over`), its correction
(`carry_over_reopen`), and a whole province on the default plan (`province_carry_over`).

All-or-nothing: a confirm reads the predecessors again inside its transaction (the commune's
row locked), checks the plan against them — the fingerprint of the old rosters included, so a
roster edited since the preview is refused — and then writes set-based: a bulk insert of the
new areas and teams, one UPDATE ending the old memberships on 30/06/2025, a bulk insert of the
new ones from 01/07/2025, one bulk link between them, and their history rows. A province (or
the country) is the same statements over all its communes at once.

Insurance: VSI and HI enrolments belong to the person (`insurance.models.VsiEnrolment.person`),
not to the membership, so they continue without a gap; the months of state support already used
are counted per person (`insurance.services._write_lines`), across the boundary. The summary
counts the open enrolments of the people carried over.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from allowances.models import OPEN_STATES, SETTLED_STATES, AllowanceLine, AllowanceRun
from insurance.models import LIST_APPROVED_STATES, LIST_OPEN_STATES, FundingLine, FundingList
from reporting.models import Report, ReportState
from teams.access import Perm, require
from teams.models import (
    AdministrativeUnit,
    EndGround,
    Membership,
    ResidentialArea,
    Team,
    User,
)

from . import selectors
from .models import CarryOver, CarryOverState, CarryOverStep
from .plan import Plan
from .selectors import NEW_FIRST_DAY, OLD_LAST_DAY, Resolved

REASON = "Chuyển do sắp xếp đơn vị hành chính"
UNDO_REASON = "Mở lại chuyển giao để điều chỉnh"


def _apply(items: list[Resolved], *, actor: User | None) -> list[dict]:
    """Write the resolved plans of any number of communes in a fixed number of statements.
    Returns, per commune, the ids created (kept on its CarryOver for a correction)."""
    now = timezone.now()
    areas = []
    for item in items:
        for na in item.areas:
            area = na.unsaved(item.commune)
            area._history_user = actor  # type: ignore[attr-defined]
            areas.append(area)
    areas = bulk_create_with_history(
        areas, ResidentialArea, batch_size=2000, default_user=actor, default_change_reason=REASON
    )
    if areas and areas[0].pk is None:  # a backend that returns no ids
        raise RuntimeError("bulk_create returned no ids")
    came = ResidentialArea.came_from.through
    teams = []
    offsets = []
    position = 0
    for item in items:
        offsets.append(position)
        position += len(item.areas)
        for nt in item.teams:
            teams.append(
                Team(
                    commune=item.commune,
                    name=nt.plan.name,
                    decision_number=nt.decision_number,
                    decision_date=nt.decision_date,
                )
            )
    teams = bulk_create_with_history(
        teams, Team, batch_size=2000, default_user=actor, default_change_reason=REASON
    )
    area_links, team_area_links, team_links = [], [], []
    team_of_old_team: dict[int, Team] = {}
    new_team_index = 0
    for item, offset in zip(items, offsets, strict=True):
        for i, na in enumerate(item.areas):
            for source in na.sources:
                area_links.append(
                    came(
                        from_residentialarea_id=areas[offset + i].pk,
                        to_residentialarea_id=source.id,
                    )
                )
        for nt in item.teams:
            team = teams[new_team_index]
            new_team_index += 1
            for i in nt.areas:
                team_area_links.append(
                    Team.areas.through(team_id=team.pk, residentialarea_id=areas[offset + i].pk)
                )
            for old_team in nt.sources:
                team_links.append(
                    Team.came_from.through(from_team_id=team.pk, to_team_id=old_team.id)
                )
                team_of_old_team[old_team.id] = team
    came.objects.bulk_create(area_links, batch_size=5000)
    Team.areas.through.objects.bulk_create(team_area_links, batch_size=5000)
    Team.came_from.through.objects.bulk_create(team_links, batch_size=5000)

    moves = {
        m.member.id: (m, team_of_old_team[m.member.team_id]) for item in items for m in item.moves
    }
    olds = list(Membership.objects.filter(pk__in=moves).order_by("pk"))
    # One UPDATE ends every old membership on 30/06/2025 (none may have changed since the
    # check: the fingerprint was read in this transaction).
    ended = Membership.objects.filter(pk__in=moves, end_date__isnull=True).update(
        end_date=OLD_LAST_DAY,
        end_ground=EndGround.REORGANISATION,
        version=F("version") + 1,
        updated_at=now,
    )
    if ended != len(moves):
        raise ValidationError(
            _(
                "Danh sách của đơn vị cũ vừa thay đổi trong lúc chuyển giao: xem trước và xác nhận lại."
            )
        )
    news = []
    for row_old in olds:
        move, team = moves[row_old.pk]
        row = Membership(
            person_id=row_old.person_id,
            team=team,
            role=move.role,
            start_date=NEW_FIRST_DAY,
            appointment_number=row_old.appointment_number,
            appointment_date=row_old.appointment_date,
            concurrent_posts=list(row_old.concurrent_posts),
            education_exception=row_old.education_exception,
            over_70_approval_number=row_old.over_70_approval_number,
            over_70_approval_date=row_old.over_70_approval_date,
            over_quota_reason=row_old.over_quota_reason,
        )
        row._history_user = actor  # type: ignore[attr-defined]
        news.append(row)
    news = bulk_create_with_history(
        news, Membership, batch_size=2000, default_user=actor, default_change_reason=REASON
    )
    for ended_row, new in zip(olds, news, strict=True):
        ended_row.end_date, ended_row.end_ground = OLD_LAST_DAY, EndGround.REORGANISATION
        ended_row.version += 1
        ended_row.transferred_to_id = new.pk
        ended_row.updated_at = now
    Membership.objects.bulk_update(olds, ["transferred_to"], batch_size=2000)
    Membership.history.bulk_history_create(
        olds, batch_size=2000, update=True, default_user=actor, default_change_reason=REASON
    )

    out = []
    area_i = team_i = 0
    new_by_old = {old.pk: new.pk for old, new in zip(olds, news, strict=True)}
    for item in items:
        n_areas, n_teams = len(item.areas), len(item.teams)
        out.append(
            {
                "areas": [a.pk for a in areas[area_i : area_i + n_areas]],
                "teams": [t.pk for t in teams[team_i : team_i + n_teams]],
                "memberships": {str(m.member.id): new_by_old[m.member.id] for m in item.moves},
            }
        )
        area_i += n_areas
        team_i += n_teams
    # A commune whose predecessors come from two old provinces: the rules the officer chose.
    for item in items:
        if item.jurisdiction != item.commune.jurisdiction:
            AdministrativeUnit.objects.filter(pk=item.commune.pk).update(
                jurisdiction=item.jurisdiction,
                jurisdiction_note=_("Chọn khi chuyển giao sau sắp xếp (trước đó: %(old)s).")
                % {"old": item.commune.jurisdiction or "—"},
            )
            item.commune.jurisdiction = item.jurisdiction
    return out


def _record(item: Resolved, created: dict, *, actor: User | None, kind: str, by_province: bool):
    summary = item.counts()
    carry, _new = CarryOver.objects.update_or_create(
        commune=item.commune,
        defaults={
            "state": CarryOverState.CONFIRMED,
            "plan": item.plan.to_json(),
            "created": created,
            "summary": summary,
            "by_province": by_province,
            "confirmed_at": timezone.now(),
            "confirmed_by": actor,
        },
    )
    CarryOverStep.objects.create(carry_over=carry, kind=kind, actor=actor, summary=summary)
    return carry


def commune_carry_over(*, commune: AdministrativeUnit, plan: Plan, actor: User) -> CarryOver:
    """Carry the predecessors of `commune` over as `plan` says, all or nothing."""
    require(actor, commune, Perm.CARRY_OVER)
    with transaction.atomic():
        AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
        sources = selectors.sources_of(commune)
        resolved = selectors.resolve(commune, plan, sources, with_quota=False)
        created = _apply([resolved], actor=actor)[0]
        return _record(
            resolved, created, actor=actor, kind=CarryOverStep.Kind.CONFIRM, by_province=False
        )


def reopen_blockers(commune: AdministrativeUnit) -> list[str]:
    """Why the carry-over can no longer be corrected: something that uses it was approved."""
    reasons = []
    run = (
        AllowanceRun.objects.filter(commune=commune, state__in=SETTLED_STATES)
        .order_by("month")
        .first()
    )
    if run:
        reasons.append(_("Kỳ chi trả %(run)s đã được duyệt.") % {"run": run})
    funding = FundingList.objects.filter(commune=commune, state__in=LIST_APPROVED_STATES).first()
    if funding:
        reasons.append(
            _("Danh sách BHXH, BHYT %(list)s đã được duyệt.") % {"list": funding.quarter_label}
        )
    report = Report.objects.filter(unit=commune, state=ReportState.ACCEPTED).first()
    if report:
        reasons.append(_("Báo cáo kỳ %(period)s đã được tiếp nhận.") % {"period": report.period})
    return reasons


def carry_over_reopen(*, commune: AdministrativeUnit, reason: str, actor: User) -> CarryOver:
    """Undo a confirmed carry-over so it can be made again with another mapping: the areas,
    teams and memberships it created are removed and the old memberships serve again until
    the officer confirms the corrected plan. Only until the first approval that uses it;
    afterwards changes are ordinary roster edits."""
    require(actor, commune, Perm.CARRY_OVER)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi rõ lý do mở lại chuyển giao.")})
    with transaction.atomic():
        carry = CarryOver.objects.select_for_update().filter(commune=commune).first()
        if carry is None or not carry.is_confirmed:
            raise ValidationError(
                _("%(unit)s chưa chuyển giao: không có gì để mở lại.") % {"unit": commune.label}
            )
        blockers = reopen_blockers(commune)
        if blockers:
            raise ValidationError(
                _(
                    "Không mở lại được chuyển giao: %(why)s Từ đây, thay đổi ghi như cập nhật danh "
                    "sách thông thường (thôi tham gia, chuyển Tổ, sửa khu dân cư)."
                )
                % {"why": " ".join(blockers)}
            )
        created = carry.created or {}
        new_ids = list(created.get("memberships", {}).values())
        old_ids = [int(k) for k in created.get("memberships", {})]
        team_ids = created.get("teams", [])
        area_ids = created.get("areas", [])
        changed = Membership.objects.filter(pk__in=new_ids).exclude(
            end_date__isnull=True, version=1
        )
        extra = Membership.objects.filter(team_id__in=team_ids).exclude(pk__in=new_ids)
        if changed.exists() or extra.exists():
            raise ValidationError(
                _(
                    "Đã có thay đổi danh sách sau khi chuyển giao (thành viên mới, thôi tham gia "
                    "hoặc chuyển Tổ ở đơn vị mới): không mở lại được. Điều chỉnh như cập nhật danh "
                    "sách thông thường."
                )
            )
        # Draft runs and lists computed from the carried rows are computed again later.
        AllowanceLine.objects.filter(
            run__commune=commune, run__state__in=OPEN_STATES, membership_id__in=new_ids
        ).delete()
        AllowanceRun.objects.filter(commune=commune, state__in=OPEN_STATES).update(computed_at=None)
        FundingLine.objects.filter(
            funding_list__commune=commune,
            funding_list__state__in=LIST_OPEN_STATES,
            membership_id__in=new_ids,
        ).delete()
        olds = list(Membership.objects.filter(pk__in=old_ids))
        Membership.objects.filter(pk__in=old_ids).update(transferred_to=None)
        try:
            with transaction.atomic():
                Membership.objects.filter(pk__in=new_ids).delete()
                Team.objects.filter(pk__in=team_ids).delete()
                ResidentialArea.objects.filter(pk__in=area_ids).delete()
        except ProtectedError as exc:
            raise ValidationError(
                _(
                    "Không mở lại được: đã có dữ liệu gắn với Tổ, thành viên hoặc khu dân cư mới "
                    "(%(what)s). Điều chỉnh như cập nhật danh sách thông thường."
                )
                % {
                    "what": ", ".join(
                        sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
                    )
                }
            ) from exc
        now = timezone.now()
        Membership.objects.filter(pk__in=old_ids).update(
            end_date=None, end_ground="", version=F("version") + 1, updated_at=now
        )
        for old in olds:
            old.end_date, old.end_ground, old.transferred_to_id = None, "", None
            old.version += 1
        Membership.history.bulk_history_create(
            olds, update=True, default_user=actor, default_change_reason=UNDO_REASON
        )
        carry.state = CarryOverState.REOPENED
        carry.created = {}
        carry.save(update_fields=["state", "created"])
        CarryOverStep.objects.create(
            carry_over=carry, kind=CarryOverStep.Kind.REOPEN, actor=actor, comment=reason
        )
    return carry


def province_carry_over(
    *,
    province: AdministrativeUnit,
    actor: User | None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 500,
) -> dict:
    """The default plan for every new commune of `province` not carried over yet: every old
    area kept as it is, every team kept. Communes that need an officer's decision (a split
    predecessor, predecessors of two old provinces) are listed and left alone. Idempotent: a
    second run finds nothing left to move. Returns the JSON summary."""
    if actor is not None:
        require(actor, province, Perm.CARRY_OVER_PROVINCE)
    communes = list(selectors.new_communes(province=province))
    done = set(
        CarryOver.objects.filter(commune__in=communes, state=CarryOverState.CONFIRMED).values_list(
            "commune_id", flat=True
        )
    )
    todo = [c for c in communes if c.pk not in done]
    summary: dict = {
        "province": province.name,
        "dry_run": dry_run,
        "communes": 0,
        "areas": 0,
        "teams": 0,
        "memberships": 0,
        "enrolments": 0,
        "already_carried": len(done),
        "needs_decision": [],
    }
    total = len(todo)
    if progress:
        progress(0, total)
    for start in range(0, total, chunk):
        batch = todo[start : start + chunk]
        with transaction.atomic():
            AdministrativeUnit.objects.select_for_update().filter(
                pk__in=[c.pk for c in batch]
            ).count()
            sources = selectors.sources_for(batch)
            items = []
            for commune in batch:
                reasons = selectors.decisions_needed(commune, sources[commune.pk])
                if not reasons:
                    plan = selectors.default_plan(commune, sources[commune.pk])
                    try:
                        items.append(
                            selectors.resolve(commune, plan, sources[commune.pk], with_quota=False)
                        )
                    except ValidationError as exc:
                        reasons = [str(m) for m in exc.messages]
                if reasons:
                    summary["needs_decision"].append(
                        {"commune": commune.name, "code": commune.code, "reasons": reasons}
                    )
            for item in items:
                for key, value in item.counts().items():
                    summary[key] += value
            summary["communes"] += len(items)
            if not dry_run and items:
                created = _apply(items, actor=actor)
                for item, ids in zip(items, created, strict=True):
                    _record(
                        item, ids, actor=actor, kind=CarryOverStep.Kind.PROVINCE, by_province=True
                    )
        if progress:
            progress(min(start + chunk, total), total)
    return summary


def today() -> datetime.date:
    return timezone.localdate()
