"""Writes of the mediation app. Each service checks what it is given and raises a
ValidationError with a Vietnamese message naming what to fix; nothing is written then.

Views call these after the access helpers (mediation.access) have found the objects, so the
services do not check roles; workflows (payment lists, yearly reports) go through
core.workflow, which does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.periods import Quarter
from core.uploads import check_document
from core.workflow import Transition, Workflow
from rules import mediation as rules
from rules.base import RuleError
from rules.models import database_parameters
from teams.access import Perm, can
from teams.models import AdministrativeUnit, Person, ResidentialArea, User
from teams.validation import PersonData, check_person

from . import selectors
from .models import (
    PAY_OPEN_STATES,
    Accident,
    AccidentDocument,
    CaseMediator,
    Consolidation,
    LeaderElection,
    MediationCase,
    MediationTeam,
    Mediator,
    Outcome,
    PaymentAction,
    PaymentLine,
    PaymentList,
    PayState,
    ReportAction,
    ReportState,
    YearlyReport,
)


def today() -> datetime.date:
    return timezone.localdate()


def _fail(field: str | None, message: str) -> NoReturn:
    raise ValidationError({field: [message]} if field else message)


# --- Teams ------------------------------------------------------------------------------------


@dataclass
class TeamData:
    area: ResidentialArea
    name: str
    decision_number: str
    decision_date: datetime.date | None
    minority_area: bool = False


def team_save(
    *, commune: AdministrativeUnit, data: TeamData, actor: User, team: MediationTeam | None = None
) -> MediationTeam:
    if data.area.commune_id != commune.pk:
        _fail("area", _("Khu dân cư không thuộc %(unit)s.") % {"unit": commune.name})
    name = " ".join((data.name or "").split())
    if not name:
        _fail("name", _("Chưa nhập tên Tổ hòa giải."))
    if not data.decision_number.strip():
        _fail("decision_number", _("Chưa nhập số quyết định thành lập của Chủ tịch UBND xã."))
    if data.decision_date is None:
        _fail("decision_date", _("Chưa nhập ngày quyết định thành lập."))
    elif data.decision_date > today():
        _fail("decision_date", _("Ngày quyết định không được sau ngày hôm nay."))
    clash = MediationTeam.objects.filter(commune=commune, name=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        _fail("name", _("Xã đã có Tổ hòa giải tên «%(name)s».") % {"name": name})
    if team is not None:
        _check_team_dates(team, data.decision_date)
    team = team or MediationTeam(commune=commune)
    team.area = data.area
    team.name = name
    team.decision_number = data.decision_number.strip()
    team.decision_date = data.decision_date
    team.minority_area = data.minority_area
    team.save()
    return team


def _check_team_dates(team: MediationTeam, decision_date: datetime.date) -> None:
    """A corrected founding date may not come after what the team already did: its first
    case received, or its first mediator recognised."""
    first_case = team.cases.order_by("received_on").values_list("received_on", flat=True).first()
    if first_case and decision_date > first_case:
        _fail(
            "decision_date",
            _(
                "Tổ đã tiếp nhận vụ việc từ ngày %(day)s: ngày quyết định thành lập không được "
                "sau ngày đó."
            )
            % {"day": f"{first_case:%d/%m/%Y}"},
        )
    first_mediator = (
        team.mediators.filter(decision_date__isnull=False)
        .order_by("decision_date")
        .values_list("decision_date", flat=True)
        .first()
    )
    if first_mediator and decision_date > first_mediator:
        _fail(
            "decision_date",
            _(
                "Tổ đã có hòa giải viên được công nhận ngày %(day)s: ngày quyết định thành lập "
                "không được sau ngày đó."
            )
            % {"day": f"{first_mediator:%d/%m/%Y}"},
        )


# --- Mediators --------------------------------------------------------------------------------


@dataclass
class MediatorData:
    person: PersonData
    list_received_on: datetime.date | None = None
    decision_number: str = ""
    decision_date: datetime.date | None = None


def mediator_add(*, team: MediationTeam, data: MediatorData, actor: User) -> Mediator:
    """Recognise a person as mediator of `team`. A person already in the system (same CCCD:
    an ANTT member, a mediator of another team) is the same `Person`; their record is not
    changed here. The same person twice in one team is refused."""
    cccd = data.person.cccd
    person = Person.objects.filter(cccd=cccd).first() if cccd else None
    if person is None:
        problems = check_person(data.person, today=today())
        if problems:
            raise problems.error()
    elif Mediator.objects.filter(team=team, person=person, ended_on__isnull=True).exists():
        _fail(
            "cccd",
            _("%(name)s (CCCD %(cccd)s) đã là hòa giải viên của %(team)s.")
            % {"name": person.full_name, "cccd": cccd, "team": team.name},
        )
    if data.decision_date and data.list_received_on and data.decision_date < data.list_received_on:
        _fail("decision_date", _("Ngày quyết định công nhận không được trước ngày nhận danh sách."))
    if data.decision_date and data.decision_date > today():
        _fail("decision_date", _("Ngày quyết định không được sau ngày hôm nay."))
    if data.decision_date and not data.decision_number.strip():
        _fail("decision_number", _("Có ngày quyết định công nhận thì cần ghi số quyết định."))
    try:
        with transaction.atomic():
            if person is None:
                person = Person(**{k: getattr(data.person, k) for k in data.person.kinds})
                person._history_user = actor  # type: ignore[attr-defined]
                person.save()
            return Mediator.objects.create(
                team=team,
                person=person,
                list_received_on=data.list_received_on,
                decision_number=data.decision_number.strip(),
                decision_date=data.decision_date,
            )
    except IntegrityError:
        _fail("cccd", _("Người này đã là hòa giải viên của Tổ (vừa được thêm)."))


def mediator_recognise(
    *, mediator: Mediator, decision_number: str, decision_date: datetime.date | None, actor: User
) -> Mediator:
    if not decision_number.strip() or decision_date is None:
        _fail(None, _("Cần ghi số và ngày quyết định công nhận."))
    if mediator.list_received_on and decision_date < mediator.list_received_on:
        _fail("decision_date", _("Ngày quyết định công nhận không được trước ngày nhận danh sách."))
    mediator.decision_number, mediator.decision_date = decision_number.strip(), decision_date
    mediator.save(update_fields=["decision_number", "decision_date"])
    return mediator


def mediator_end(
    *, mediator: Mediator, on: datetime.date | None, reason: str, actor: User
) -> Mediator:
    """End a mediator's service (thôi làm hòa giải viên, Law Art. 11) from `on`. Refused: no
    date or reason, a date before the service began or after today, a mediator already ended,
    and one still assigned to an open case (replace them there first, Law Art. 18)."""
    if mediator.ended_on is not None:
        _fail(
            None,
            _("%(name)s đã thôi làm hòa giải viên từ ngày %(day)s.")
            % {"name": mediator.person.full_name, "day": f"{mediator.ended_on:%d/%m/%Y}"},
        )
    if on is None:
        _fail("ended_on", _("Chưa nhập ngày thôi làm hòa giải viên."))
    reason = " ".join((reason or "").split())
    if not reason:
        _fail("end_reason", _("Cần ghi lý do thôi làm hòa giải viên."))
    began = mediator.decision_date or mediator.list_received_on
    if began and on < began:
        _fail(
            "ended_on",
            _(
                "Ngày thôi không được trước ngày bắt đầu làm hòa giải viên (%(day)s, ngày "
                "quyết định công nhận hoặc ngày nhận danh sách)."
            )
            % {"day": f"{began:%d/%m/%Y}"},
        )
    if on > today():
        _fail("ended_on", _("Ngày thôi không được sau ngày hôm nay."))
    open_cases = list(
        MediationCase.objects.filter(
            assignments__mediator=mediator,
            assignments__replaced_reason="",
            outcome=Outcome.OPEN,
            out_of_scope=False,
        )
        .order_by("number")
        .values_list("number", flat=True)
    )
    if open_cases:
        _fail(
            None,
            _(
                "%(name)s đang được phân công vụ việc chưa kết thúc (số %(numbers)s): thay hòa "
                "giải viên ở các vụ việc đó trước (Luật Điều 18)."
            )
            % {
                "name": mediator.person.full_name,
                "numbers": ", ".join(str(n) for n in open_cases),
            },
        )
    mediator.ended_on, mediator.end_reason = on, reason
    mediator.save(update_fields=["ended_on", "end_reason"])
    return mediator


@dataclass
class ElectionData:
    mediator: Mediator
    held_on: datetime.date | None
    votes: int | None
    is_party_secretary: bool = False
    decision_number: str = ""
    decision_date: datetime.date | None = None


def leader_elect(*, team: MediationTeam, data: ElectionData, actor: User) -> LeaderElection:
    """Record the election of the team's leader: more than 50 % of the mediators in office on
    the day of the vote, never more votes than mediators (Law Art. 12 cl. 2)."""
    if data.mediator.team_id != team.pk or not data.mediator.is_active:
        _fail("mediator", _("Người được bầu phải là hòa giải viên đang làm việc của Tổ."))
    if data.held_on is None:
        _fail("held_on", _("Chưa nhập ngày bầu."))
    if data.votes is None:
        _fail("votes", _("Chưa nhập số phiếu bầu."))
    mediators = selectors.mediators_on(team=team, day=data.held_on).count()
    problem = rules.leader_election_problem(votes=data.votes, mediators=mediators)
    if problem:
        _fail("votes", problem)
    return LeaderElection.objects.create(
        team=team,
        mediator=data.mediator,
        held_on=data.held_on,
        mediators_count=mediators,
        votes=data.votes,
        is_party_secretary=data.is_party_secretary,
        decision_number=data.decision_number.strip(),
        decision_date=data.decision_date,
    )


def consolidation_save(
    *,
    team: MediationTeam,
    year: int,
    reviewed_on: datetime.date | None,
    proposed_changes: str,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    actor: User,
) -> Consolidation:
    if reviewed_on is None:
        _fail("reviewed_on", _("Chưa nhập ngày rà soát."))
    if reviewed_on.year != year:
        _fail("reviewed_on", _("Ngày rà soát phải thuộc năm %(year)s.") % {"year": year})
    if decision_date and decision_date < reviewed_on:
        _fail("decision_date", _("Ngày quyết định kiện toàn không được trước ngày rà soát."))
    if decision_date and not decision_number.strip():
        _fail("decision_number", _("Có ngày quyết định thì cần ghi số quyết định kiện toàn."))
    review, _created = Consolidation.objects.update_or_create(
        team=team,
        year=year,
        defaults={
            "reviewed_on": reviewed_on,
            "proposed_changes": proposed_changes.strip(),
            "decision_number": decision_number.strip(),
            "decision_date": decision_date,
        },
    )
    return review


# --- The case book ----------------------------------------------------------------------------


@dataclass
class CaseData:
    received_on: datetime.date | None
    origin: str
    parties: str
    case_type: str
    content: str
    mediators: list[Mediator]
    out_of_scope: bool = False
    out_of_scope_reason: str = ""
    assigned_on: datetime.date | None = None
    started_on: datetime.date | None = None
    outcome: str = Outcome.OPEN
    agreement: str = ""
    closed_on: datetime.date | None = None
    note: str = ""


def _check_case(team: MediationTeam, data: CaseData, case: MediationCase | None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if data.received_on is None:
        add("received_on", _("Chưa nhập ngày tiếp nhận vụ việc."))
    elif data.received_on > today():
        add("received_on", _("Ngày tiếp nhận không được sau ngày hôm nay."))
    if not data.parties.strip():
        add("parties", _("Chưa ghi các bên (họ tên, địa chỉ)."))
    if not data.content.strip():
        add("content", _("Chưa ghi nội dung vụ việc."))
    for mediator in data.mediators:
        if mediator.team_id != team.pk:
            add("mediators", _("Chỉ phân công hòa giải viên của Tổ."))
    if data.out_of_scope:
        if not data.out_of_scope_reason.strip():
            add("out_of_scope_reason", _("Ghi lý do vụ việc không thuộc phạm vi hòa giải."))
        if data.outcome != Outcome.OPEN:
            add(
                "outcome",
                _(
                    "Vụ việc không thuộc phạm vi hòa giải (Luật Hòa giải ở cơ sở, Điều 3) không "
                    "ghi kết quả hòa giải: để «Đang giải quyết» hoặc bỏ đánh dấu ngoài phạm vi."
                ),
            )
    received = data.received_on
    for name, day, label in (
        ("assigned_on", data.assigned_on, _("Ngày phân công")),
        ("started_on", data.started_on, _("Ngày bắt đầu hòa giải")),
        ("closed_on", data.closed_on, _("Ngày kết thúc")),
    ):
        if day and received and day < received:
            add(
                name,
                _("%(label)s không được trước ngày tiếp nhận (%(day)s).")
                % {"label": label, "day": received.strftime("%d/%m/%Y")},
            )
        if day and day > today():
            add(name, _("%(label)s không được sau ngày hôm nay.") % {"label": label})
    if data.started_on and data.assigned_on and data.started_on < data.assigned_on:
        add("started_on", _("Ngày bắt đầu hòa giải không được trước ngày phân công."))
    if data.outcome == Outcome.OPEN and data.closed_on:
        add("closed_on", _("Vụ việc đang giải quyết chưa có ngày kết thúc: chọn kết quả."))
    if data.outcome != Outcome.OPEN and not data.closed_on:
        add("closed_on", _("Vụ việc đã có kết quả thì cần ngày kết thúc."))
    if data.outcome == Outcome.SUCCESS and not data.agreement.strip():
        add("agreement", _("Hòa giải thành: ghi nội dung thỏa thuận của các bên."))
    if (
        case is not None
        and hasattr(case, "payment_line")
        and case.payment_line.payment_list.state != PayState.DRAFT
    ):
        add(
            None,
            _("Vụ việc đã vào danh sách chi thù lao đang duyệt hoặc đã duyệt: không sửa được."),
        )
    if errors:
        raise ValidationError(errors)


def case_save(
    *,
    team: MediationTeam,
    data: CaseData,
    actor: User,
    case: MediationCase | None = None,
    replacements: dict[int, str] | None = None,
) -> MediationCase:
    """Record or update a case. `replacements`: mediator id → the reason they were replaced
    (conflict of interest, Law Art. 18); a replaced mediator stays on the case, marked."""
    _check_case(team, data, case)
    with transaction.atomic():
        if case is None:
            team = MediationTeam.objects.select_for_update().get(pk=team.pk)
            number = (team.cases.aggregate(n=Max("number"))["n"] or 0) + 1
            case = MediationCase(team=team, number=number, created_by=actor)
        for name in (
            "received_on",
            "origin",
            "case_type",
            "out_of_scope",
            "assigned_on",
            "started_on",
            "outcome",
            "closed_on",
        ):
            setattr(case, name, getattr(data, name))
        for name in ("parties", "content", "out_of_scope_reason", "agreement", "note"):
            setattr(case, name, getattr(data, name).strip())
        case.full_clean(exclude=["team", "created_by", "number"], validate_unique=False)
        case.save()
        keep = {m.pk for m in data.mediators}
        case.assignments.exclude(mediator_id__in=keep).delete()
        existing = {a.mediator_id: a for a in case.assignments.all()}
        for mediator in data.mediators:
            reason = (replacements or {}).get(mediator.pk, "")
            assignment = existing.get(mediator.pk)
            if assignment is None:
                CaseMediator.objects.create(case=case, mediator=mediator, replaced_reason=reason)
            elif reason and assignment.replaced_reason != reason:
                assignment.replaced_reason = reason
                assignment.save(update_fields=["replaced_reason"])
    return case


def mediator_replace(*, case: MediationCase, mediator: Mediator, reason: str, actor: User):
    """Mark an assigned mediator as replaced for a conflict of interest (Law Art. 18)."""
    if not reason.strip():
        _fail("reason", _("Ghi lý do thay hòa giải viên (ví dụ: là người thân của một bên)."))
    updated = case.assignments.filter(mediator=mediator).update(replaced_reason=reason.strip())
    if not updated:
        _fail(None, _("Hòa giải viên này không được phân công cho vụ việc."))


# --- Remuneration -----------------------------------------------------------------------------


def case_remuneration(*, case: MediationCase, params=None):
    """The remuneration of one case (rules.mediation.case_remuneration): RuleError for an open
    case, an out-of-scope matter, or a province with no amount in the system."""
    commune = case.team.commune
    params = params or database_parameters([commune.jurisdiction, ""])
    return rules.case_remuneration(
        jurisdiction=commune.jurisdiction,
        closed_on=case.closed_on,
        ended=case.outcome in (Outcome.SUCCESS, Outcome.FAILURE),
        params=params,
        in_scope=not case.out_of_scope,
    )


PAY_FLOW = Workflow(
    [
        Transition(
            "submit",
            PAY_OPEN_STATES,
            PayState.SUBMITTED,
            Perm.EDIT_MEDIATION,
            gettext_lazy("Gửi duyệt"),
        ),
        Transition(
            "return",
            (PayState.SUBMITTED,),
            PayState.RETURNED,
            Perm.APPROVE_MEDIATION_PAY,
            gettext_lazy("Trả lại"),
            comment_required=True,
        ),
        Transition(
            "approve",
            (PayState.SUBMITTED,),
            PayState.APPROVED,
            Perm.APPROVE_MEDIATION_PAY,
            gettext_lazy("Phê duyệt"),
        ),
        Transition(
            "pay",
            (PayState.APPROVED,),
            PayState.PAID,
            Perm.EDIT_MEDIATION,
            gettext_lazy("Xác nhận đã chi trả"),
        ),
    ],
    allowed=can,
    locked_states={PayState.SUBMITTED, PayState.APPROVED, PayState.PAID},
    state_labels=lambda state: PayState(state).label,
)


def payment_list_compute(
    *, commune: AdministrativeUnit, quarter: datetime.date, actor: User
) -> PaymentList:
    """Compute (or recompute, while open) the quarter's list: every in-scope case of the
    commune's teams that ended (thành or không thành) by the quarter's last day and is on no
    other list. A case recorded late for an approved quarter goes into the next open list."""
    q = Quarter.of(quarter)
    if q.first_day > today():
        _fail("quarter", _("Chưa đến quý này: chỉ lập danh sách của quý đã bắt đầu."))
    params = database_parameters([commune.jurisdiction, ""])
    with transaction.atomic():
        payment_list, _created = PaymentList.objects.select_for_update().get_or_create(
            commune=commune, quarter=q.first_day
        )
        if not payment_list.is_open:
            _fail(
                None,
                _(
                    "Danh sách quý %(q)s đã gửi duyệt hoặc đã duyệt: không tính lại được; vụ việc "
                    "ghi muộn vào danh sách quý sau."
                )
                % {"q": q.label},
            )
        payment_list.lines.all().delete()
        cases = (
            MediationCase.objects.filter(
                team__commune=commune,
                out_of_scope=False,
                outcome__in=[Outcome.SUCCESS, Outcome.FAILURE],
                closed_on__lte=q.last_day,
                payment_line__isnull=True,
            )
            .select_related("team__commune")
            .prefetch_related("assignments__mediator__person")
        )
        lines = []
        for case in cases:
            assert case.closed_on is not None  # filtered above
            line = PaymentLine(
                payment_list=payment_list,
                case=case,
                team_name=case.team.name,
                case_number=case.number,
                closed_on=case.closed_on,
                outcome=case.outcome,
                mediators=", ".join(
                    a.mediator.person.full_name for a in case.assignments.all() if not a.replaced
                )[:400],
            )
            try:
                result = case_remuneration(case=case, params=params)
            except RuleError as exc:
                line.error = str(exc)
            else:
                line.amount = result.amount
                line.trace = [t.as_dict() for t in result.trace]
                line.parameters = [p.as_dict() for p in result.parameters]
            lines.append(line)
        PaymentLine.objects.bulk_create(lines)
        payment_list.computed_at = timezone.now()
        payment_list.computed_by = actor
        payment_list.save(update_fields=["computed_at", "computed_by"])
    return payment_list


def payment_list_transition(
    *,
    payment_list: PaymentList,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    payment_reference: str = "",
    paid_on: datetime.date | None = None,
) -> PaymentList:
    if action not in PAY_FLOW.transitions:
        _fail(None, _("Thao tác không hợp lệ."))
    transition = PAY_FLOW.transitions[action]
    if not PAY_FLOW.allowed(actor, payment_list.commune, transition.perm):
        raise PermissionDenied(
            _("Vai trò của bạn không được thực hiện «%(action)s».") % {"action": transition.label}
        )
    if action == "pay" and not payment_reference.strip():
        _fail("payment_reference", _("Cần ghi số chứng từ chi khi xác nhận đã chi trả."))
    with transaction.atomic():
        PaymentList.objects.select_for_update().filter(pk=payment_list.pk).first()
        if action == "submit":
            lines = payment_list.lines.all()
            if not lines.exists():
                _fail(None, _("Danh sách chưa có vụ việc nào: tính danh sách trước khi gửi."))
            errors = [line.error for line in lines if line.error]
            if errors:
                _fail(
                    None,
                    _("Còn %(n)s vụ việc chưa tính được thù lao: %(first)s")
                    % {"n": len(errors), "first": errors[0]},
                )
        PAY_FLOW.apply(
            payment_list,
            action,
            actor=actor,
            unit=payment_list.commune,
            comment=comment,
            seen_state=seen_state,
            record=lambda **f: PaymentAction.objects.create(payment_list=payment_list, **f),
        )
        if action == "approve":
            payment_list.approved_at = timezone.now()
            payment_list.save(update_fields=["approved_at"])
        if action == "pay":
            payment_list.payment_reference = payment_reference.strip()
            payment_list.paid_on = paid_on or today()
            payment_list.save(update_fields=["payment_reference", "paid_on"])
    return payment_list


# --- Accident support -------------------------------------------------------------------------


@dataclass
class AccidentData:
    mediator: Mediator
    occurred_on: datetime.date | None
    kind: str
    description: str
    treatment_costs: int = 0
    lost_income: int = 0
    family_support: int = 0
    funeral_costs: int = 0
    decision_number: str = ""


def accident_save(*, data: AccidentData, actor: User) -> Accident:
    if data.occurred_on is None:
        _fail("occurred_on", _("Chưa nhập ngày xảy ra."))
    if data.occurred_on > today():
        _fail("occurred_on", _("Ngày xảy ra không được sau ngày hôm nay."))
    if not data.description.strip():
        _fail("description", _("Ghi diễn biến sự việc (khi đang hòa giải, ở đâu, thế nào)."))
    if data.kind == "injury" and (data.family_support or data.funeral_costs):
        _fail("family_support", _("Trợ cấp gia đình và mai táng chỉ có khi hòa giải viên chết."))
    accident = Accident(
        mediator=data.mediator,
        occurred_on=data.occurred_on,
        kind=data.kind,
        description=data.description.strip(),
        treatment_costs=data.treatment_costs or 0,
        lost_income=data.lost_income or 0,
        family_support=data.family_support or 0,
        funeral_costs=data.funeral_costs or 0,
        decision_number=data.decision_number.strip(),
        created_by=actor,
    )
    accident.full_clean()
    accident.save()
    return accident


def accident_document_add(*, accident: Accident, title: str, file, actor: User) -> AccidentDocument:
    if not title.strip():
        _fail("title", _("Ghi tên giấy tờ (giấy ra viện, hóa đơn, biên bản…)."))
    if file is None:
        _fail("file", _("Chọn tệp cần đính kèm."))
    try:
        check_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    return AccidentDocument.objects.create(
        accident=accident, title=title.strip(), file=file, uploaded_by=actor
    )


# --- The yearly report ------------------------------------------------------------------------

REPORT_FLOW = Workflow(
    [
        Transition(
            "send",
            (ReportState.DRAFT, ReportState.RETURNED),
            ReportState.SENT,
            Perm.EDIT_MEDIATION,
            gettext_lazy("Gửi báo cáo"),
        ),
        Transition(
            "return",
            (ReportState.SENT,),
            ReportState.RETURNED,
            Perm.RECEIVE_MEDIATION_REPORTS,
            gettext_lazy("Trả lại"),
            comment_required=True,
        ),
        Transition(
            "receive",
            (ReportState.SENT,),
            ReportState.RECEIVED,
            Perm.RECEIVE_MEDIATION_REPORTS,
            gettext_lazy("Tiếp nhận"),
        ),
    ],
    allowed=can,
    locked_states={ReportState.SENT, ReportState.RECEIVED},
    state_labels=lambda state: ReportState(state).label,
)


def report_get(*, unit: AdministrativeUnit, year: int) -> YearlyReport:
    report, _created = YearlyReport.objects.get_or_create(unit=unit, year=year)
    return report


def report_save(
    *, report: YearlyReport, summary: str, spent: dict[str, int], actor: User
) -> YearlyReport:
    if REPORT_FLOW.is_locked(report.state):
        _fail(None, _("Báo cáo đã gửi: không sửa được (cơ quan tư pháp trả lại thì sửa tiếp)."))
    bad = [k for k, v in spent.items() if v is not None and v < 0]
    if bad:
        _fail(None, _("Số đã chi không được âm."))
    report.summary = summary.strip()
    report.spent = {k: v for k, v in spent.items() if v is not None}
    report.save(update_fields=["summary", "spent"])
    return report


def report_transition(
    *,
    report: YearlyReport,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    on: datetime.date | None = None,
) -> YearlyReport:
    """Send (freezing the indicators and the budget into the report, with its recipient read
    from the tree and its due date from the plan), return or receive."""
    if action not in REPORT_FLOW.transitions:
        _fail(None, _("Thao tác không hợp lệ."))
    day = on or today()
    with transaction.atomic():
        if action == "send":
            contents = selectors.report_contents(unit=report.unit, year=report.year, report=report)
            if contents["plan"] is None:
                _fail(
                    None,
                    _(
                        "Chưa có kế hoạch hòa giải ở cơ sở áp dụng cho đơn vị năm %(y)s: "
                        "quản trị viên nhập kế hoạch (chỉ tiêu, dự toán) trước."
                    )
                    % {"y": report.year},
                )
        REPORT_FLOW.apply(
            report,
            action,
            actor=actor,
            unit=report.unit,
            comment=comment,
            seen_state=seen_state,
            record=lambda **f: ReportAction.objects.create(report=report, **f),
        )
        if action == "send":
            report.contents = selectors.contents_json(contents)
            report.sent_on = day
            report.due_on = contents["due_on"]
            report.recipient = contents["recipient"]
            report.save(update_fields=["contents", "sent_on", "due_on", "recipient"])
    return report
