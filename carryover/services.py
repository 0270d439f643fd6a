"""Writes for the carry-over: one new commune (`commune_carry_over`), its correction
(`carry_over_reopen`), and a whole province on the default plan (`province_carry_over`).

All-or-nothing: a confirm reads the predecessors again inside its transaction (the commune's
row locked), checks the plan against them — the fingerprint of the old rosters included, so a
roster edited since the preview is refused — and then writes set-based: a bulk insert of the
new areas and teams, one UPDATE ending the old memberships on 30/06/2025, one INSERT … SELECT
copying them into the new ones from 01/07/2025, one UPDATE linking them, and their history rows
by INSERT … SELECT. A province (or the country) is the same statements over all its communes at
once (tests/carryover/test_scale.py holds its number of queries constant).

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
from django.db.models import Case, CharField, F, OuterRef, ProtectedError, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from allowances.models import OPEN_STATES, SETTLED_STATES, AllowanceLine, AllowanceRun
from core.setsql import insert_rows, insert_select, record_history
from insurance.models import LIST_APPROVED_STATES, LIST_OPEN_STATES, FundingLine, FundingList
from reporting.models import Report, ReportState
from reporting.selectors import period_of
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
    Returns, per commune, the ids created (kept on its CarryOver for a correction).

    The memberships never pass through Python: the old rows are ended by one UPDATE, the new
    ones are copied from them by one INSERT … SELECT (the new team found through the team's
    `came_from` link), linked by one UPDATE, and their history rows written by INSERT …
    SELECT (core.setsql)."""
    now = timezone.now()
    user_id = actor.pk if actor else None

    def history(queryset, history_type: str) -> int:
        return record_history(
            queryset, history_type=history_type, user_id=user_id, reason=REASON, when=now
        )

    areas, teams = _create_areas_and_teams(items)
    item_of_team, changed_roles = _write_links(items, areas, teams)
    communes = [item.commune.pk for item in items]
    new_teams, old_teams = _new_and_old_teams(communes, len(areas), len(teams), history)
    moves = sum(len(item.moves) for item in items)
    _end_old_memberships(old_teams, moves, now)
    just_ended = _copy_memberships(communes, changed_roles, now)
    pairs = _link_continuations(just_ended, new_teams, moves, history)
    _choose_jurisdictions(items)
    return _created_ids(items, areas, teams, pairs, item_of_team)


def _create_areas_and_teams(items: list[Resolved]) -> tuple[list[ResidentialArea], list[Team]]:
    areas = ResidentialArea.objects.bulk_create(
        [na.unsaved(item.commune) for item in items for na in item.areas], batch_size=2000
    )
    if areas and areas[0].pk is None:  # a backend that returns no ids
        raise RuntimeError("bulk_create returned no ids")
    teams = Team.objects.bulk_create(
        [
            Team(
                commune=item.commune,
                name=nt.plan.name,
                decision_number=nt.decision_number,
                decision_date=nt.decision_date,
            )
            for item in items
            for nt in item.teams
        ],
        batch_size=2000,
    )
    return areas, teams


def _write_links(
    items: list[Resolved], areas: list[ResidentialArea], teams: list[Team]
) -> tuple[dict[int, int], dict[str, list[int]]]:
    """The new areas' and teams' `came_from` links and the teams' areas. Returns the index of
    each new team's commune in `items`, and the people whose role changes (by new role)."""
    area_links, team_area_links, team_links = [], [], []
    item_of_team: dict[int, int] = {}
    changed_roles: dict[str, list[int]] = {}
    area_offset = team_index = 0
    for index, item in enumerate(items):
        for i, na in enumerate(item.areas):
            for source in na.sources:
                area_links.append((areas[area_offset + i].pk, source.id))
        for nt in item.teams:
            team = teams[team_index]
            team_index += 1
            item_of_team[team.pk] = index
            for i in nt.areas:
                team_area_links.append((team.pk, areas[area_offset + i].pk))
            for old_team in nt.sources:
                team_links.append((team.pk, old_team.id))
            for move in nt.moves:
                if move.role != move.member.role:  # a Tổ trưởng of a merged team made Tổ phó
                    changed_roles.setdefault(move.role, []).append(move.member.person_id)
        area_offset += len(item.areas)
    came = ResidentialArea.came_from.through
    insert_rows(came, ["from_residentialarea", "to_residentialarea"], area_links)
    insert_rows(Team.areas.through, ["team", "residentialarea"], team_area_links)
    insert_rows(Team.came_from.through, ["from_team", "to_team"], team_links)
    return item_of_team, changed_roles


def _new_and_old_teams(communes: list[int], areas: int, teams: int, history) -> tuple:
    """The new teams and the old ones they came from, as subqueries, after writing the new
    areas' and teams' history rows.

    The rows on both sides are named by their communes and the links just written, not by
    lists of ids: a province's ids make statements of tens of thousands of parameters, slow to
    send and over SQLite's limit. A commune not carried over yet has no area or team that came
    from an old one (only this service writes `came_from`), so these are exactly the new ones;
    the counts are checked."""
    new_areas = ResidentialArea.objects.filter(
        commune_id__in=communes, came_from__isnull=False
    ).values("pk")
    new_teams = Team.objects.filter(commune_id__in=communes, came_from__isnull=False).values("pk")
    old_teams = Team.objects.filter(went_to__in=new_teams).values("pk")
    written = (
        history(ResidentialArea.objects.filter(pk__in=new_areas), "+"),
        history(Team.objects.filter(pk__in=new_teams), "+"),
    )
    if written != (areas, teams):
        raise RuntimeError(f"new areas and teams {written}, expected {areas, teams}")
    return new_teams, old_teams


def _end_old_memberships(old_teams, moves: int, now) -> None:
    """One UPDATE ends every old membership on 30/06/2025; none may have changed since the
    check (the fingerprint was read in this transaction), so the count must be exact."""
    ended = Membership.objects.filter(
        team_id__in=old_teams, start_date__lte=OLD_LAST_DAY, end_date__isnull=True
    ).update(
        end_date=OLD_LAST_DAY,
        end_ground=EndGround.REORGANISATION,
        version=F("version") + 1,
        updated_at=now,
    )
    if ended != moves:
        raise ValidationError(
            _(
                "Danh sách của đơn vị cũ vừa thay đổi trong lúc chuyển giao: xem trước và xác nhận lại."
            )
        )


def _copy_memberships(communes: list[int], changed_roles: dict[str, list[int]], now):
    """The new rows, copied from the ones just ended: same person, role, posts and decision
    references, from 01/07/2025. Returns the ended rows (a queryset)."""
    # Joined through the links just written rather than filtered by subqueries: both
    # databases plan it well (SQLite took 8 s for the province with subqueries).
    just_ended = Membership.objects.filter(
        end_date=OLD_LAST_DAY,
        end_ground=EndGround.REORGANISATION,
        transferred_to__isnull=True,
        team__went_to__commune_id__in=communes,
    )
    role = (
        Case(
            *(When(person_id__in=people, then=Value(r)) for r, people in changed_roles.items()),
            default=F("role"),
            output_field=CharField(),
        )
        if changed_roles
        else F("role")
    )
    copied = {f.name: F(f.attname) for f in Membership._meta.concrete_fields if not f.primary_key}
    insert_select(
        Membership,
        just_ended,
        copied
        | {
            "team": F("team__went_to"),
            "role": role,
            "start_date": NEW_FIRST_DAY,
            "end_date": None,
            "end_ground": "",
            "end_decision_number": "",
            "end_decision_date": None,
            "transferred_to": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
    )
    return just_ended


def _link_continuations(just_ended, new_teams, moves: int, history) -> list[tuple[int, int, int]]:
    """Each ended row points to its continuation, and both get their history rows. Returns
    (old id, new id, new team id) of every carried membership."""
    # The person's one open row (the database holds one per person; it is the new one, the
    # old one just ended), found by that index. The count below checks that each one landed
    # in a new team.
    just_ended.update(
        transferred_to=Subquery(
            Membership.objects.filter(
                person_id=OuterRef("person_id"), end_date__isnull=True
            ).values("pk")[:1]
        )
    )
    carried = Membership.objects.filter(transferred_to__team_id__in=new_teams)
    pairs = list(carried.values_list("pk", "transferred_to_id", "transferred_to__team_id"))
    if len(pairs) != moves:
        raise RuntimeError(f"carried {len(pairs)} memberships, expected {moves}")
    history(Membership.objects.filter(team_id__in=new_teams), "+")
    history(carried, "~")
    return pairs


def _choose_jurisdictions(items: list[Resolved]) -> None:
    """A commune whose predecessors come from two old provinces: the rules the officer chose."""
    for item in items:
        if item.jurisdiction != item.commune.jurisdiction:
            AdministrativeUnit.objects.filter(pk=item.commune.pk).update(
                jurisdiction=item.jurisdiction,
                jurisdiction_note=_("Chọn khi chuyển giao sau sắp xếp (trước đó: %(old)s).")
                % {"old": item.commune.jurisdiction or "—"},
            )
            item.commune.jurisdiction = item.jurisdiction


def _created_ids(
    items: list[Resolved],
    areas: list[ResidentialArea],
    teams: list[Team],
    pairs: list[tuple[int, int, int]],
    item_of_team: dict[int, int],
) -> list[dict]:
    out: list[dict] = [{"areas": [], "teams": [], "memberships": {}} for _item in items]
    area_offset = team_index = 0
    for created, item in zip(out, items, strict=True):
        created["areas"] = [a.pk for a in areas[area_offset : area_offset + len(item.areas)]]
        created["teams"] = [t.pk for t in teams[team_index : team_index + len(item.teams)]]
        area_offset += len(item.areas)
        team_index += len(item.teams)
    for old_id, new_id, team_id in sorted(pairs):
        out[item_of_team[team_id]]["memberships"][str(old_id)] = new_id
    return out


def _record(
    items: list[Resolved],
    created: list[dict],
    *,
    actor: User | None,
    kind: str,
    by_province: bool,
) -> list[CarryOver]:
    """Each commune's CarryOver (made, or a reopened one confirmed again) and its action row:
    four statements for any number of communes."""
    now = timezone.now()
    existing = {
        c.commune_id: c
        for c in CarryOver.objects.filter(commune_id__in=[item.commune.pk for item in items])
    }
    carries = []
    for item, ids in zip(items, created, strict=True):
        carry = existing.get(item.commune.pk) or CarryOver(commune=item.commune)
        carry.state = CarryOverState.CONFIRMED
        carry.plan = item.plan.to_json()
        carry.created = ids
        carry.summary = item.counts()
        carry.by_province = by_province
        carry.confirmed_at = now
        carry.confirmed_by = actor
        carries.append(carry)
    fields = ["state", "plan", "created", "summary", "by_province", "confirmed_at", "confirmed_by"]
    CarryOver.objects.bulk_update([c for c in carries if c.pk], fields, batch_size=500)
    CarryOver.objects.bulk_create([c for c in carries if not c.pk], batch_size=500)
    CarryOverStep.objects.bulk_create(
        [CarryOverStep(carry_over=c, kind=kind, actor=actor, summary=c.summary) for c in carries],
        batch_size=500,
    )
    return carries


def commune_carry_over(*, commune: AdministrativeUnit, plan: Plan, actor: User) -> CarryOver:
    """Carry the predecessors of `commune` over as `plan` says, all or nothing."""
    require(actor, commune, Perm.CARRY_OVER)
    with transaction.atomic():
        AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
        sources = selectors.sources_of(commune)
        resolved = selectors.resolve(commune, plan, sources, with_quota=False)
        if any(len(team.sources) > 1 for team in resolved.teams):  # only a merge can go over
            selectors.quotas(resolved)
            selectors.refuse_over_quota_without_reason(resolved)
        created = _apply([resolved], actor=actor)
        return _record(
            [resolved], created, actor=actor, kind=CarryOverStep.Kind.CONFIRM, by_province=False
        )[0]


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
        reasons.append(
            _("Báo cáo %(period)s đã được tiếp nhận.")
            % {"period": period_of(report).label.lower()}  # "tháng 07/2025", not "2025-07"
        )
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


def _claim(item: Resolved, claimed: dict[int, str]) -> list[str]:
    """Give the old areas of `item` to its commune, unless this run already gave one of them
    to another new commune: then the officers decide (the reasons why)."""
    olds = [source for area in item.areas for source in area.sources]
    taken = [source for source in olds if source.id in claimed]
    if taken:
        return [
            _(
                "%(area)s cũng thuộc phương án mặc định của %(other)s: mỗi khu dân cư chỉ chuyển "
                "về một đơn vị mới, cần chọn khu dân cư chuyển về."
            )
            % {"area": source.name, "other": claimed[source.id]}
            for source in taken[:3]
        ]
    claimed.update({source.id: item.commune.label for source in olds})
    return []


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
    # Old area id -> the new commune this run gives it to: an old commune recorded as wholly
    # merged into two new communes (the official list has two) goes to the first only.
    claimed: dict[int, str] = {}
    if progress:
        progress(0, total)
    for start in range(0, total, chunk):
        batch = todo[start : start + chunk]
        with transaction.atomic():
            AdministrativeUnit.objects.select_for_update().filter(
                pk__in=[c.pk for c in batch]
            ).count()
            sources = selectors.sources_for(batch)
            known = selectors.known_for(batch, sources)
            items = []
            for commune in batch:
                reasons = selectors.decisions_needed(commune, sources[commune.pk])
                if not reasons:
                    plan = selectors.default_plan(commune, sources[commune.pk])
                    try:
                        item = selectors.resolve(
                            commune, plan, sources[commune.pk], with_quota=False, known=known
                        )
                    except ValidationError as exc:
                        reasons = [str(m) for m in exc.messages]
                    else:
                        reasons = _claim(item, claimed)
                        if not reasons:
                            items.append(item)
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
                _record(
                    items, created, actor=actor, kind=CarryOverStep.Kind.PROVINCE, by_province=True
                )
        if progress:
            progress(min(start + chunk, total), total)
    return summary


def today() -> datetime.date:
    return timezone.localdate()
