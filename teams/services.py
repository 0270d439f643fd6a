"""Writes for the teams app: residential areas, teams, people and memberships.

Every function is `<entity>_<action>(*, …, actor)`, validates with `teams.validation` (the same
checks the Excel import runs), raises `django.core.exceptions.ValidationError` keyed by field
name, and names the acting user on the history row it writes.

Optimistic locking: edit functions take the `version` the form was rendered with. The row's
version is bumped with one conditional UPDATE (``… WHERE id = %s AND version = %s``) before
the new values are saved, so of two officers saving the same record the second one gets
`EditConflict` — with what the first one changed — instead of silently overwriting it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_date
from rules.base import TeamRole

from . import roster_io, selectors
from .access import Perm, can
from .history import changes_since
from .models import (
    AdministrativeUnit,
    AreaKind,
    EndGround,
    Membership,
    Person,
    ResidentialArea,
    RosterImport,
    Team,
    TeamStatus,
    User,
    Versioned,
)
from .validation import (
    MembershipData,
    PersonData,
    Problems,
    active_elsewhere_message,
    check_day,
    check_end,
    check_membership,
    check_person,
    leader_message,
    quota_message,
)


def today() -> datetime.date:
    return timezone.localdate()


# --- Optimistic locking and history ---------------------------------------------------------


class EditConflict(Exception):
    """Someone saved the record after the form was opened. Carries what they changed."""

    def __init__(self, obj: Versioned, changes: list, by: str, at: datetime.datetime):
        self.obj = obj
        self.changes = changes
        self.by = by
        self.at = at
        super().__init__(
            _("Hồ sơ vừa được %(by)s cập nhật lúc %(at)s.")
            % {"by": by, "at": f"{timezone.localtime(at):%H:%M %d/%m/%Y}" if at else ""}
        )


def claim_version(obj: Versioned, version: int) -> None:
    """Bump the stored version from `version` to `version + 1`, or raise EditConflict."""
    model = type(obj)
    claimed = model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        current = model.objects.get(pk=obj.pk)
        changes, by, at = changes_since(current, version)
        raise EditConflict(current, changes, by, at)
    obj.version = version + 1


def _save(obj, *, actor: User | None, reason: str = "", **kwargs) -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save(**kwargs)


def _full_clean(obj, exclude=None) -> None:
    """Model-level checks (lengths, choices) as a last line of defence behind `validation`."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# --- Residential areas ----------------------------------------------------------------------


@dataclass
class AreaData:
    name: str
    kind: str
    households: int | None
    residents: int | None = None
    village_type: int | None = None


def _check_area(*, commune: AdministrativeUnit, data: AreaData, area: ResidentialArea | None):
    problems = Problems()
    name = " ".join((data.name or "").split())
    if not name:
        problems.add("name", _("Chưa nhập tên khu dân cư."))
    elif (
        ResidentialArea.objects.filter(commune=commune, name__iexact=name)
        .exclude(pk=area.pk if area else None)
        .exists()
    ):
        problems.add(
            "name",
            _("%(unit)s đã có khu dân cư tên «%(name)s».") % {"unit": commune.label, "name": name},
        )
    if data.kind not in AreaKind.values:
        problems.add("kind", _("Chọn loại khu dân cư."))
    if data.households is None or data.households < 1:
        problems.add("households", _("Số hộ gia đình phải là số nguyên dương."))
    if data.residents is not None and data.households and data.residents < data.households:
        problems.add("residents", _("Số nhân khẩu không được nhỏ hơn số hộ gia đình."))
    if data.village_type is not None and data.village_type not in (1, 2, 3):
        problems.add("village_type", _("Phân loại là 1, 2 hoặc 3 (để trống nếu không phân loại)."))
    problems.raise_if_any()
    return name


@transaction.atomic
def area_create(*, commune: AdministrativeUnit, data: AreaData, actor: User) -> ResidentialArea:
    name = _check_area(commune=commune, data=data, area=None)
    area = ResidentialArea(
        commune=commune,
        name=name,
        kind=data.kind,
        households=data.households,
        residents=data.residents,
        village_type=data.village_type,
    )
    _full_clean(area)
    _save(area, actor=actor)
    return area


@transaction.atomic
def area_update(*, area: ResidentialArea, data: AreaData, version: int, actor: User):
    name = _check_area(commune=area.commune, data=data, area=area)
    claim_version(area, version)
    area.name, area.kind, area.households = name, data.kind, data.households
    area.residents, area.village_type = data.residents, data.village_type
    _full_clean(area)
    _save(area, actor=actor)
    return area


# --- Teams ----------------------------------------------------------------------------------


@dataclass
class TeamData:
    name: str
    areas: list[ResidentialArea]
    decision_number: str
    decision_date: datetime.date | None


def _check_team(*, commune: AdministrativeUnit, data: TeamData, team: Team | None) -> str:
    problems = Problems()
    name = " ".join((data.name or "").split())
    if not name:
        problems.add("name", _("Chưa nhập tên Tổ."))
    elif (
        Team.objects.filter(commune=commune, name__iexact=name, status=TeamStatus.ACTIVE)
        .exclude(pk=team.pk if team else None)
        .exists()
    ):
        problems.add(
            "name", _("%(unit)s đã có Tổ tên «%(name)s».") % {"unit": commune.label, "name": name}
        )
    if not data.areas:
        problems.add(
            "areas",
            _("Chọn ít nhất một khu dân cư mà Tổ phụ trách (Luật 30/2023/QH15, Điều 14, khoản 2)."),
        )
    foreign = [a.name for a in data.areas if a.commune_id != commune.pk]
    if foreign:
        problems.add(
            "areas",
            _("Khu dân cư không thuộc %(unit)s: %(areas)s.")
            % {"unit": commune.label, "areas": ", ".join(foreign)},
        )
    taken = (
        Team.areas.through.objects.filter(
            residentialarea__in=data.areas, team__status=TeamStatus.ACTIVE
        )
        .exclude(team=team)
        .select_related("team", "residentialarea")
    )
    for link in taken:
        problems.add(
            "areas",
            _("%(area)s đã do %(team)s phụ trách: mỗi khu dân cư thuộc một Tổ.")
            % {"area": link.residentialarea.name, "team": link.team.name},
        )
    if not (data.decision_number or "").strip():
        problems.add(
            "decision_number", _("Nhập số quyết định thành lập Tổ của Chủ tịch UBND cấp xã.")
        )
    check_day(
        problems,
        "decision_date",
        data.decision_date,
        label="ngày quyết định thành lập",
        commune=commune,
        today=today(),
        not_before_law=False,
    )
    problems.raise_if_any()
    return name


@transaction.atomic
def team_create(*, commune: AdministrativeUnit, data: TeamData, actor: User) -> Team:
    name = _check_team(commune=commune, data=data, team=None)
    team = Team(
        commune=commune,
        name=name,
        decision_number=data.decision_number.strip(),
        decision_date=data.decision_date,
    )
    _full_clean(team)
    _save(team, actor=actor)
    team.areas.set(data.areas)
    return team


@transaction.atomic
def team_update(*, team: Team, data: TeamData, version: int, actor: User) -> Team:
    if not team.is_active:
        raise ValidationError(_("Tổ đã giải thể: không sửa được thông tin."))
    name = _check_team(commune=team.commune, data=data, team=team)
    claim_version(team, version)
    team.name = name
    team.decision_number = data.decision_number.strip()
    team.decision_date = data.decision_date
    _full_clean(team)
    _save(team, actor=actor)
    if {a.pk for a in team.areas.all()} != {a.pk for a in data.areas}:
        team._history_user = actor
        team.areas.set(data.areas)
    return team


@transaction.atomic
def team_dissolve(
    *, team: Team, on: datetime.date | None, decision_number: str, version: int, actor: User
) -> Team:
    problems = Problems()
    if not team.is_active:
        problems.add(
            None, _("Tổ đã giải thể từ ngày %(on)s.") % {"on": format_date(team.dissolved_on)}
        )
        problems.raise_if_any()
    check_day(problems, "on", on, label="ngày giải thể", commune=team.commune, today=today())
    if on and on < team.decision_date:
        problems.add("on", _("Ngày giải thể không được trước ngày thành lập."))
    if not (decision_number or "").strip():
        problems.add("decision_number", _("Nhập số quyết định giải thể."))
    size = selectors.team_size(team=team)
    if size:
        problems.add(
            None,
            _(
                "Tổ còn %(n)s thành viên đang tham gia: cho thôi tham gia hoặc chuyển sang Tổ "
                "khác trước khi giải thể."
            )
            % {"n": size},
        )
    problems.raise_if_any()
    claim_version(team, version)
    team.status = TeamStatus.DISSOLVED
    team.dissolved_on = on
    team.dissolution_decision_number = decision_number.strip()
    _save(team, actor=actor, reason="Giải thể Tổ")
    return team


# --- Memberships ----------------------------------------------------------------------------


def check_roster_place(
    problems: Problems,
    *,
    team: Team,
    role: str,
    start: datetime.date | None,
    over_quota_reason: str,
    actor: User,
    person: Person | None,
    membership: Membership | None = None,
    counts_as_new: bool = True,
) -> None:
    """The checks that need the rest of the roster: one active membership per person, one
    Tổ trưởng per team, the team's quota. `membership` is the row being edited, if any."""
    if not team.is_active:
        problems.add(
            None, _("%(team)s đã giải thể: không thêm được thành viên.") % {"team": team.name}
        )
    if person is not None and person.pk:
        active = selectors.person_active_membership(person=person)
        if active is not None and active.pk != (membership.pk if membership else None):
            problems.add(
                "cccd",
                active_elsewhere_message(
                    active,
                    visible=can(actor, active.team.commune, Perm.VIEW),
                    same_team=active.team_id == team.pk,
                ),
            )
    if role == TeamRole.TO_TRUONG:
        leader = selectors.team_leader(team=team, exclude=membership)
        if leader is not None:
            problems.add("role", leader_message(team.name, leader.person.full_name))
    if counts_as_new and start is not None:
        size_after = selectors.team_size(team=team) + 1
        quota = selectors.team_quota(team=team, on=start)
        if quota.members is not None and size_after > quota.members and not over_quota_reason:
            problems.add(
                "over_quota_reason",
                quota_message(team.name, quota.members, quota.result.citation, size_after),
            )


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "membership_one_leader_per_team" in text:
        return _("Tổ vừa được ghi nhận một Tổ trưởng khác. Tải lại trang để xem.")
    if "membership_one_active_per_person" in text or "cccd" in text:
        return _("Người có số CCCD này vừa được thêm vào một Tổ khác. Tải lại trang để xem.")
    return _("Dữ liệu vừa bị thay đổi đồng thời. Tải lại trang rồi thử lại.")


@transaction.atomic
def membership_add(
    *, team: Team, person: PersonData, membership: MembershipData, actor: User
) -> Membership:
    """A new member of `team`: a person new to the system, or one whose CCCD is already known
    (someone who served before), whose record is then brought up to date."""
    now = today()
    existing = Person.objects.filter(cccd=person.cccd).first() if person.cccd else None
    problems = check_person(person, today=now)
    problems.extend(check_membership(person, membership, commune=team.commune, today=now))
    check_roster_place(
        problems,
        team=team,
        role=membership.role,
        start=membership.start_date,
        over_quota_reason=membership.over_quota_reason,
        actor=actor,
        person=existing,
    )
    last_end = selectors.person_last_end(person=existing) if existing else None
    if last_end and membership.start_date and membership.start_date <= last_end:
        problems.add(
            "start_date",
            _("Người này thôi tham gia Tổ trước đó ngày %(end)s: ngày bắt đầu phải sau ngày đó.")
            % {"end": format_date(last_end)},
        )
    problems.raise_if_any()
    try:
        with transaction.atomic():
            if existing is None:
                record = Person()
                person.apply_to(record)
                _full_clean(record)
                _save(record, actor=actor)
            else:
                record = existing
                if person.apply_to(record):
                    Person.objects.filter(pk=record.pk).update(version=F("version") + 1)
                    record.version += 1
                    _full_clean(record)
                    _save(record, actor=actor, reason="Cập nhật khi tham gia Tổ mới")
            row = Membership(person=record, team=team)
            membership.apply_to(row)
            _full_clean(row, exclude=["person", "team"])
            _save(row, actor=actor)
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    return row


@transaction.atomic
def person_update(*, person: Person, data: PersonData, version: int, actor: User) -> Person:
    """Correct a person's record. While they serve, Art. 13 is checked again on the recorded
    start date (a corrected date of birth may make them too young, for instance)."""
    now = today()
    problems = check_person(data, today=now)
    clash = Person.objects.filter(cccd=data.cccd).exclude(pk=person.pk).first()
    if clash is not None:
        problems.add("cccd", _("Số CCCD này đã thuộc về một người khác trong hệ thống."))
    active = selectors.person_active_membership(person=person)
    if active is not None:
        problems.extend(
            check_membership(
                data,
                MembershipData.from_membership(active),
                commune=active.team.commune,
                today=now,
                check_start=False,
            )
        )
    problems.raise_if_any()
    claim_version(person, version)
    data.apply_to(person)
    _full_clean(person)
    try:
        with transaction.atomic():
            _save(person, actor=actor)
    except IntegrityError as exc:
        raise ValidationError({"cccd": [_integrity_message(exc)]}) from exc
    return person


@transaction.atomic
def membership_update(
    *, membership: Membership, data: MembershipData, version: int, actor: User
) -> Membership:
    """Correct an active appointment (role, start date, decision, posts, exceptions). Ended
    rows are history and stay as they are."""
    if not membership.is_active:
        raise ValidationError(_("Quá trình tham gia đã kết thúc: không sửa được."))
    now = today()
    person = PersonData.from_person(membership.person)
    problems = check_membership(
        person,
        data,
        commune=membership.team.commune,
        today=now,
        check_start=data.start_date != membership.start_date,
    )
    last_end = selectors.person_last_end(person=membership.person, exclude=membership)
    if data.start_date and last_end and data.start_date <= last_end:
        problems.add(
            "start_date",
            _("Ngày bắt đầu phải sau ngày kết thúc quá trình tham gia trước (%(end)s).")
            % {"end": format_date(last_end)},
        )
    check_roster_place(
        problems,
        team=membership.team,
        role=data.role,
        start=data.start_date,
        over_quota_reason=data.over_quota_reason,
        actor=actor,
        person=None,
        membership=membership,
        counts_as_new=False,
    )
    problems.raise_if_any()
    claim_version(membership, version)
    data.apply_to(membership)
    _full_clean(membership, exclude=["person", "team"])
    try:
        with transaction.atomic():
            _save(membership, actor=actor)
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    on: datetime.date | None,
    ground: str,
    decision_number: str,
    decision_date: datetime.date | None,
    version: int,
    actor: User,
) -> Membership:
    """End a membership on one of the four grounds of Art. 17(3), with the commune chair's
    decision (Form 08). The row stays, with its end."""
    check_end(
        membership,
        end_date=on,
        ground=ground,
        decision_number=decision_number,
        decision_date=decision_date,
        commune=membership.team.commune,
        today=today(),
    ).raise_if_any()
    claim_version(membership, version)
    membership.end_date = on
    membership.end_ground = ground
    membership.end_decision_number = decision_number.strip()
    membership.end_decision_date = decision_date
    _save(membership, actor=actor, reason="Thôi tham gia Tổ")
    return membership


@dataclass
class TransferData:
    to_team: Team | None
    on: datetime.date | None
    role: str
    appointment_number: str = ""
    appointment_date: datetime.date | None = None
    over_quota_reason: str = ""


@transaction.atomic
def membership_transfer(
    *, membership: Membership, data: TransferData, version: int, actor: User
) -> Membership:
    """A dated change of appointment from `data.on`: a move to another team of the same
    commune, or a new role in the same team (a Tổ viên appointed Tổ phó, say). The current
    membership ends the day before (ground "chuyển Tổ, đổi chức danh"), a new one starts that
    day with the same concurrent posts and approvals; Art. 13 is checked again on the new
    start date. (Editing the role in place is for correcting a mistake, not for a change that
    takes effect on a date: allowances will be computed from these dates.)"""
    problems = Problems()
    now = today()
    commune = membership.team.commune
    if not membership.is_active:
        problems.add(None, _("Quá trình tham gia đã kết thúc: không chuyển Tổ được."))
        problems.raise_if_any()
    target = data.to_team
    same_team = target is not None and target.pk == membership.team_id
    if target is None:
        problems.add("to_team", _("Chọn Tổ chuyển đến."))
    elif same_team and data.role == membership.role:
        problems.add(
            "role",
            _("Đang là %(role)s của Tổ này: chọn Tổ khác hoặc chức danh khác.")
            % {"role": membership.get_role_display()},
        )
    elif target.commune_id != membership.team.commune_id:
        problems.add("to_team", _("Chỉ chuyển được giữa các Tổ của cùng một xã, phường."))
    if data.on and data.on <= membership.start_date:
        problems.add(
            "on",
            _("Ngày thay đổi phải sau ngày bắt đầu hiện tại (%(start)s).")
            % {"start": format_date(membership.start_date)},
        )
    new = MembershipData(
        role=data.role,
        start_date=data.on,
        appointment_number=data.appointment_number,
        appointment_date=data.appointment_date,
        concurrent_posts=list(membership.concurrent_posts),
        education_exception=membership.education_exception,
        over_70_approval_number=membership.over_70_approval_number,
        over_70_approval_date=membership.over_70_approval_date,
        over_quota_reason=data.over_quota_reason,
    )
    checked = check_membership(
        PersonData.from_person(membership.person), new, commune=commune, today=now
    )
    for key, message in checked.items():
        problems.add("on" if key == "start_date" else key, message)
    if target is not None:
        check_roster_place(
            problems,
            team=target,
            role=data.role,
            start=data.on,
            over_quota_reason=data.over_quota_reason,
            actor=actor,
            person=None,
            # In the same team the member keeps their place and leaves their old role.
            membership=membership if same_team else None,
            counts_as_new=not same_team,
        )
    problems.raise_if_any()
    claim_version(membership, version)
    membership.end_date = data.on - datetime.timedelta(days=1)
    membership.end_ground = EndGround.TRANSFER
    reason = (
        f"Đổi chức danh thành {TeamRole(data.role).label}"
        if same_team
        else f"Chuyển sang {target.name}"
    )
    _save(membership, actor=actor, reason=reason)
    row = Membership(person=membership.person, team=target)
    new.apply_to(row)
    _full_clean(row, exclude=["person", "team"])
    try:
        with transaction.atomic():
            _save(
                row,
                actor=actor,
                reason=reason if same_team else f"Chuyển từ {membership.team.name}",
            )
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    # The link between the two rows is bookkeeping, not a change anyone made: no history row.
    Membership.objects.filter(pk=membership.pk).update(transferred_to=row)
    membership.transferred_to = row
    return row


# --- Excel import: the stored record of a checked file -----------------------------------


def roster_import_check(
    *, commune: AdministrativeUnit, file_name: str, content: bytes, actor: User
) -> RosterImport:
    """Check an uploaded workbook without writing the roster, and keep the outcome: every
    error, or the file itself (to be imported on confirmation) when there is none."""
    report = roster_io.import_roster(commune=commune, content=content, actor=actor, dry_run=True)
    return RosterImport.objects.create(
        commune=commune,
        uploaded_by=actor,
        file_name=file_name[:255],
        content=content if not report.errors else b"",
        rows=report.rows,
        error_count=report.error_count,
        report=report.as_dict(),
    )


def roster_import_confirm(*, record: RosterImport, actor: User):
    """Import a checked file, checking it again first (the roster may have changed since):
    all rows or none. The stored file is dropped either way; returns the new report."""
    report = roster_io.import_roster(
        commune=record.commune, content=bytes(record.content), actor=actor, dry_run=False
    )
    record.report = report.as_dict()
    record.error_count = report.error_count
    if report.imported:
        record.status = RosterImport.Status.IMPORTED
        record.created, record.updated = report.created, report.updated
        record.imported_at = timezone.now()
    record.content = b""
    record.save()
    return report
