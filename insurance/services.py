"""Writes for insurance: enrolments, the quarterly funding list (compute, workflow, advance,
settlement with carry-forward) and incident support for uninsured members.

The quarterly procedure follows seed 000 (Kon Tum plan, III.4 and III.7): the commune lists the
participants, the social-insurance office checks them, commune and BHXH sign together, the
finance office approves, funds are advanced at the start of the quarter and settled after it.

Computing a list is month by month per member: a month counts when at least one of its days is
inside both the team membership and the enrolment (VSI and HI are paid by whole months), so a
member who joins on 20 August is in August, and one who leaves on 10 August is in August but not
in September. Each line is computed by `rules.engine.insurance_month` on the values in force in that
month and keeps its trace in a shared `RuleSnapshot`.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, JSONField, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_date, format_vnd
from core.periods import DateWindow, Month, Quarter, check_period_of_unit
from core.setsql import insert_rows
from core.uploads import check_document
from core.workflow import Transition, Workflow
from rules import engine
from rules.base import RuleError
from rules.insurance import Group, InsuranceResult, Scheme
from rules.models import RuleSnapshot, database_parameters
from rules.money import round_vnd
from rules.parameters import ParameterSource
from rules.snapshots import SnapshotStore
from rules.support import Lookup
from teams.access import Perm, can
from teams.models import (
    MAJORITY_ETHNICITY,
    AdministrativeUnit,
    HouseholdStatus,
    Level,
    Membership,
    Person,
    User,
)

from .models import (
    DOCUMENT_MAX_BYTES,
    LIST_OPEN_STATES,
    FundingAction,
    FundingLine,
    FundingList,
    HiEnrolment,
    HouseholdCertificate,
    Incident,
    IncidentAction,
    IncidentDocument,
    IncidentKind,
    IncidentState,
    ListState,
    VsiEnrolment,
)

FUNDING_FLOW = Workflow(
    [
        Transition(
            "submit",
            LIST_OPEN_STATES,
            ListState.SUBMITTED,
            Perm.PREPARE_INSURANCE,
            gettext_lazy("Gửi BHXH kiểm tra"),
        ),
        Transition(
            "return",
            (ListState.SUBMITTED, ListState.COMMUNE_SIGNED),
            ListState.RETURNED,
            Perm.VERIFY_INSURANCE,
            gettext_lazy("BHXH trả lại"),
            comment_required=True,
        ),
        Transition(
            "verify",
            (ListState.SUBMITTED,),
            ListState.VERIFIED,
            Perm.VERIFY_INSURANCE,
            gettext_lazy("Xác nhận đã đối chiếu"),
        ),
        Transition(
            "sign_commune",
            (ListState.VERIFIED,),
            ListState.COMMUNE_SIGNED,
            Perm.PREPARE_INSURANCE,
            gettext_lazy("UBND xã ký xác nhận"),
        ),
        Transition(
            "sign_bhxh",
            (ListState.COMMUNE_SIGNED,),
            ListState.SIGNED,
            Perm.VERIFY_INSURANCE,
            gettext_lazy("BHXH ký xác nhận"),
        ),
        Transition(
            "refuse",
            (ListState.SIGNED,),
            ListState.RETURNED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Tài chính trả lại"),
            comment_required=True,
        ),
        Transition(
            "approve",
            (ListState.SIGNED,),
            ListState.APPROVED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Phê duyệt kinh phí"),
        ),
        Transition(
            "advance",
            (ListState.APPROVED,),
            ListState.ADVANCED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Ghi nhận tạm cấp kinh phí"),
        ),
        Transition(
            "settle",
            (ListState.ADVANCED,),
            ListState.SETTLED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Quyết toán quý"),
        ),
    ],
    allowed=can,
    locked_states=[s for s in ListState if s not in LIST_OPEN_STATES],
    state_labels=lambda state: ListState(state).label,
)

VSI_MODULE = "rules.insurance.vsi"
HI_MODULE = "rules.insurance.hi"


# --- Support groups -----------------------------------------------------------------------


def groups_on(
    *,
    ethnicity: str,
    household_status: str,
    certificates: list[HouseholdCertificate],
    day: datetime.date,
    island: bool = False,
) -> frozenset[Group]:
    """The VSI support groups of a person on `day` (the rule takes the highest rate).

    Ethnic minority: any ethnicity other than Kinh. Poor / near-poor: the household
    certificates in force on `day`; a person with no certificate at all is taken at the
    household status recorded on the roster. Island: living in an island commune or a special
    zone (`vsi_island`: the enrolment's answer, else the commune's)."""
    groups = {Group.OTHER}
    if island:
        groups.add(Group.ISLAND)
    if ethnicity and ethnicity != MAJORITY_ETHNICITY:
        groups.add(Group.ETHNIC_MINORITY)
    if certificates:
        for c in certificates:
            if c.valid_from <= day and (c.valid_to is None or c.valid_to >= day):
                groups.add(Group(c.group))
    elif household_status == HouseholdStatus.NGHEO:
        groups.add(Group.POOR)
    elif household_status == HouseholdStatus.CAN_NGHEO:
        groups.add(Group.NEAR_POOR)
    return frozenset(groups)


def vsi_island(enrolment: VsiEnrolment, commune: AdministrativeUnit) -> bool:
    """Whether the member lives in an island commune or a special zone: what the enrolment
    says, or, left empty, the commune's kind (đặc khu) or its island flag."""
    if enrolment.island is not None:
        return enrolment.island
    return commune.lives_on_island


# --- Enrolment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VsiData:
    income: int
    payment_mode: int
    start_date: datetime.date
    end_date: datetime.date | None = None
    months_supported_before: int = 0
    book_number: str = ""
    island: bool | None = None  # None: follow the commune (đặc khu, island flag)


def vsi_income_bounds(jurisdiction: str, day: datetime.date) -> tuple[int, int]:
    """The lowest and highest monthly income on `day`: the rural poverty line and
    `vsi.income_ceiling_multiple` × base salary (the rules' own parameters)."""
    look = Lookup(database_parameters([jurisdiction]), jurisdiction, day)
    floor = look.national("rural_poverty_line").value
    multiple = look.national("vsi.income_ceiling_multiple").value
    base = look.national("base_salary").value
    return floor, round_vnd(Fraction(multiple) * base)


def vsi_enrolment_save(
    *, person: Person, commune: AdministrativeUnit, data: VsiData, actor: User
) -> VsiEnrolment:
    if data.end_date and data.end_date < data.start_date:
        raise ValidationError({"end_date": _("Ngày dừng tham gia trước ngày bắt đầu.")})
    if not 0 <= data.months_supported_before <= 120:
        raise ValidationError(
            {"months_supported_before": _("Số tháng đã được hỗ trợ từ 0 đến 120.")}
        )
    day = max(data.start_date, timezone.localdate())
    if data.end_date:
        day = min(day, data.end_date)
    try:
        floor, ceiling = vsi_income_bounds(commune.jurisdiction, day)
    except RuleError as exc:
        raise ValidationError({"income": str(exc)}) from exc
    if data.income < floor:
        raise ValidationError(
            {
                "income": _(
                    "Mức thu nhập %(income)s thấp hơn chuẩn nghèo khu vực nông thôn %(floor)s áp "
                    "dụng ngày %(day)s: chọn mức từ %(floor)s trở lên."
                )
                % {
                    "income": format_vnd(data.income),
                    "floor": format_vnd(floor),
                    "day": format_date(day),
                }
            }
        )
    if data.income > ceiling:
        raise ValidationError(
            {
                "income": _(
                    "Mức thu nhập %(income)s cao hơn mức cao nhất %(ceiling)s (20 lần mức lương "
                    "cơ sở) áp dụng ngày %(day)s."
                )
                % {
                    "income": format_vnd(data.income),
                    "ceiling": format_vnd(ceiling),
                    "day": format_date(day),
                }
            }
        )
    enrolment, _created = VsiEnrolment.objects.update_or_create(
        person=person,
        defaults={
            "income": data.income,
            "payment_mode": data.payment_mode,
            "start_date": data.start_date,
            "end_date": data.end_date,
            "months_supported_before": data.months_supported_before,
            "book_number": data.book_number.strip(),
            "island": data.island,
        },
    )
    return enrolment


@dataclass(frozen=True)
class HiData:
    card_number: str
    group: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    household_position: int | None = None  # 1…5 in the household's HI enrolment; None: alone


def hi_enrolment_save(*, person: Person, data: HiData, actor: User) -> HiEnrolment:
    card = data.card_number.strip().upper()
    if not (10 <= len(card) <= 15 and card.isalnum()):
        raise ValidationError(
            {"card_number": _("Số thẻ BHYT gồm 10 đến 15 chữ cái, chữ số (ví dụ GD4252522123456).")}
        )
    if data.end_date and data.end_date < data.start_date:
        raise ValidationError({"end_date": _("Ngày dừng tham gia trước ngày thẻ có giá trị.")})
    if data.household_position is not None and not 1 <= data.household_position <= 5:
        raise ValidationError(
            {"household_position": _("Thứ tự trong hộ gia đình từ 1 đến 5 (5: từ người thứ năm).")}
        )
    enrolment, _created = HiEnrolment.objects.update_or_create(
        person=person,
        defaults={
            "card_number": card,
            "group": data.group,
            "household_position": data.household_position,
            "start_date": data.start_date,
            "end_date": data.end_date,
        },
    )
    return enrolment


def enrolments_save(
    *,
    person: Person,
    commune: AdministrativeUnit,
    vsi: VsiData | None,
    hi: HiData | None,
    actor: User,
) -> None:
    """A member's VSI and HI enrolment from the one form that holds both: each is saved, or
    removed when `None` (not enrolled, or no longer). Both or neither."""
    with transaction.atomic():
        if vsi is None:
            VsiEnrolment.objects.filter(person=person).delete()
        else:
            vsi_enrolment_save(person=person, commune=commune, data=vsi, actor=actor)
        if hi is None:
            HiEnrolment.objects.filter(person=person).delete()
        else:
            hi_enrolment_save(person=person, data=hi, actor=actor)


def certificate_add(
    *,
    person: Person,
    group: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    reference: str = "",
) -> HouseholdCertificate:
    certificate = HouseholdCertificate(
        person=person,
        group=group,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=reference.strip(),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


# --- Computing a quarterly list -----------------------------------------------------------


def _check_quarter(commune: AdministrativeUnit, quarter: Quarter, today: datetime.date):
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("Danh sách đề nghị hỗ trợ được lập theo xã, phường, đặc khu."))
    check_period_of_unit(
        quarter,
        unit_name=commune.name,
        valid_from=commune.valid_from,
        valid_to=commune.valid_to,
        today=today,
        future=_("Chưa đến %(quarter)s: chỉ lập danh sách đến quý hiện tại."),
        ended=_("%(unit)s kết thúc hoạt động ngày %(end)s: %(quarter)s thuộc đơn vị sau sắp xếp."),
        not_started=_("%(unit)s bắt đầu hoạt động từ ngày %(start)s: không có %(quarter)s."),
    )


def _refuse_locked(funding_list: FundingList) -> None:
    if not funding_list.is_open:
        raise ValidationError(
            _(
                "Danh sách %(quarter)s đang ở trạng thái «%(state)s»: không sửa được. Danh sách "
                "đã duyệt chỉ được xem; chênh lệch được quyết toán và chuyển sang quý sau."
            )
            % {
                "quarter": funding_list.quarter_label,
                "state": funding_list.get_state_display(),
            }
        )


def _citation(result) -> str:
    seen = []
    for item in result.trace:
        if item.citation and item.citation not in seen:
            seen.append(item.citation)
    return "; ".join(seen)[:400]


def funding_list_compute(
    *,
    commune: AdministrativeUnit,
    quarter: datetime.date,
    actor: User,
    today: datetime.date | None = None,
) -> FundingList:
    """Compute (or recompute) the commune's list for `quarter`; refused once it left the
    commune (submitted, signed, approved …)."""
    quarter = Quarter.of(quarter).first_day
    _check_quarter(commune, Quarter.of(quarter), today or timezone.localdate())
    with transaction.atomic():
        funding_list, _created = FundingList.objects.select_for_update().get_or_create(
            commune=commune, quarter=quarter
        )
        _refuse_locked(funding_list)
        _write_lines(funding_list, actor=actor)
    return funding_list


def _write_lines(funding_list: FundingList, *, actor: User) -> None:
    """The list's lines (one per person, scheme and month the membership and the enrolment
    both cover), computed by the rules and written in place of the old ones; then the
    differences of earlier settled quarters carried in."""
    commune = funding_list.commune
    rows = _members_in(funding_list)
    facts = _EnrolmentFacts.of({row["person_id"] for row in rows}, funding_list)
    params = database_parameters([commune.jurisdiction])
    store = SnapshotStore()
    # Members with the same month, scheme and facts get the same result (the rules are pure
    # functions of them): computed once, and its snapshot serialised once (`_compute_line`).
    results: dict[tuple, InsuranceResult] = {}
    snapshots: dict[int, RuleSnapshot] = {}
    lines: list[FundingLine] = []
    seen: set[tuple[int, str, datetime.date]] = set()
    for month in [month.first_day for month in funding_list.period.months]:
        month_window = Month.of(month).window
        for row in rows:
            if not DateWindow.open_ended(row["start_date"], row["end_date"]).overlaps(month_window):
                continue
            person_id = row["person_id"]
            for scheme, enrolment in (
                (Scheme.VSI, facts.vsi.get(person_id)),
                (Scheme.HI, facts.hi.get(person_id)),
            ):
                if enrolment is None or (person_id, scheme, month) in seen:
                    continue
                if not _covers(row, enrolment, month_window):
                    continue
                seen.add((person_id, scheme, month))
                line = FundingLine(
                    funding_list=funding_list,
                    person_id=person_id,
                    membership_id=row["pk"],
                    scheme=scheme,
                    month=month,
                    person_name=row["person__full_name"],
                    cccd=row["person__cccd"],
                    team_name=row["team__name"],
                )
                result = _compute_line(
                    line, row, enrolment, facts, commune=commune, params=params, memo=results
                )
                if result is not None:
                    snapshot = snapshots.get(id(result))  # (the memo keeps the results alive)
                    if snapshot is None:
                        snapshot = snapshots[id(result)] = store.get(
                            VSI_MODULE if scheme == Scheme.VSI else HI_MODULE,
                            _citation(result),
                            [item.as_dict() for item in result.trace],
                            [p.as_dict() for p in result.parameters],
                        )
                    line.snapshot = snapshot
                lines.append(line)
    store.save()
    for line in lines:
        if line.snapshot is not None:
            line.snapshot_id = line.snapshot.pk
    FundingLine.objects.filter(funding_list=funding_list).delete()
    insert_rows(FundingLine, [f.name for f in LINE_FIELDS], (_line_row(line) for line in lines))
    funding_list.carried_in = _carry_in_earlier_differences(funding_list)
    funding_list.computed_at = timezone.now()
    funding_list.computed_by = actor
    funding_list.save(update_fields=["carried_in", "computed_at", "computed_by"])


#: FundingLine's columns as `_write_lines` writes them: as plain rows (`core.setsql.insert_rows`,
#: COPY on PostgreSQL), not through bulk_create, which was a third of computing a list.
LINE_FIELDS = [f for f in FundingLine._meta.concrete_fields if not f.primary_key]


def _line_row(line: FundingLine) -> tuple:
    """A line's database values in LINE_FIELDS order, as bulk_create sends them: ids for
    foreign keys, the JSON as Django encodes it, choices as their value."""
    row = []
    for field in LINE_FIELDS:
        value = getattr(line, field.attname)
        if isinstance(field, JSONField):
            value = json.dumps(value)
        elif isinstance(value, Enum):
            value = value.value
        row.append(value)
    return tuple(row)


def _members_in(funding_list: FundingList) -> list[dict]:
    """The commune's memberships that overlap the quarter, with what a line shows of them."""
    first, last = funding_list.period.first_day, funding_list.period.last_day
    return list(
        Membership.objects.filter(team__commune=funding_list.commune, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values(
            "pk", "person_id", "start_date", "end_date", "team__name", "person__full_name",
            "person__cccd", "person__ethnicity", "person__household_status",
        )
        .order_by("start_date", "pk")
    )  # fmt: skip


@dataclass
class _EnrolmentFacts:
    """What the rules need about the members' insurance, fetched once for the list."""

    vsi: dict[int, VsiEnrolment]
    hi: dict[int, HiEnrolment]
    certificates: dict[int, list[HouseholdCertificate]]
    #: VSI months with state support each person had in other lists before this quarter
    used_before: dict[int, int]
    #: the running count of supported VSI months, per person, as the months are computed
    supported: dict[int, int]

    @classmethod
    def of(cls, person_ids: set[int], funding_list: FundingList) -> _EnrolmentFacts:
        certificates = defaultdict(list)
        for c in HouseholdCertificate.objects.filter(person_id__in=person_ids):
            certificates[c.person_id].append(c)
        used_before = dict(
            FundingLine.objects.filter(
                person_id__in=person_ids,
                scheme=Scheme.VSI,
                month__lt=funding_list.period.first_day,
                state_support__gt=0,
            )
            .exclude(funding_list=funding_list)
            .values("person_id")
            .annotate(n=Count("month", distinct=True))
            .values_list("person_id", "n")
        )
        return cls(
            vsi={e.person_id: e for e in VsiEnrolment.objects.filter(person_id__in=person_ids)},
            hi={e.person_id: e for e in HiEnrolment.objects.filter(person_id__in=person_ids)},
            certificates=certificates,
            used_before=used_before,
            supported={},
        )


def _covers(row: dict, enrolment: VsiEnrolment | HiEnrolment, month_window: DateWindow) -> bool:
    """Whether the membership and the enrolment are both in force on a day of the month."""
    start = max(row["start_date"], enrolment.start_date)
    ends = [d for d in (row["end_date"], enrolment.end_date) if d]
    end = min(ends) if ends else None
    return not (end and end < start) and DateWindow.open_ended(start, end).overlaps(month_window)


def _compute_line(
    line: FundingLine,
    row: dict,
    enrolment: VsiEnrolment | HiEnrolment,
    facts: _EnrolmentFacts,
    *,
    commune: AdministrativeUnit,
    params: ParameterSource,
    memo: dict[tuple, InsuranceResult] | None = None,
) -> InsuranceResult | None:
    """Fills one line's amounts from the rules, or its error (then None is returned); a VSI
    month with state support counts towards the member's maximum. `memo`: the results of
    one list (the same commune and parameters), by the facts the rule is given."""
    memo = {} if memo is None else memo
    person_id, month = line.person_id, line.month
    groups = groups_on(
        ethnicity=row["person__ethnicity"],
        household_status=row["person__household_status"],
        certificates=facts.certificates.get(person_id, []),
        day=month,
        island=isinstance(enrolment, VsiEnrolment) and vsi_island(enrolment, commune),
    )

    def rule_result(key: tuple, **given) -> InsuranceResult:
        """The rule's result for these facts (`key` names them), computed once per list."""
        if key not in memo:
            memo[key] = engine.insurance_month(
                jurisdiction=commune.jurisdiction, month=month, params=params, **given
            )
        return memo[key]

    try:
        if isinstance(enrolment, VsiEnrolment):
            count = facts.supported.setdefault(
                person_id, enrolment.months_supported_before + facts.used_before.get(person_id, 0)
            )
            line.income = enrolment.income
            line.payment_mode = enrolment.payment_mode
            line.reference = enrolment.book_number
            line.groups = sorted(g.value for g in groups)
            result = rule_result(
                (Scheme.VSI, month, frozenset(groups), enrolment.income, count),
                scheme=Scheme.VSI,
                groups=groups,
                income=enrolment.income,
                months_supported=count,
            )
            if result.state_support:
                line.support_month = count + 1
                facts.supported[person_id] = count + 1
        else:
            line.reference = enrolment.card_number
            result = rule_result(
                (Scheme.HI, month, enrolment.household_position),
                scheme=Scheme.HI,
                household_position=enrolment.household_position,
            )
    except RuleError as exc:
        line.error = str(exc)
        return None
    line.contribution = result.contribution
    line.state_support = result.state_support
    line.province_support = result.province_support
    line.member_pays = result.member_pays
    return result


def _carry_in_earlier_differences(funding_list: FundingList) -> int:
    """Differences of settled earlier quarters not yet carried anywhere come into this list."""
    earlier = FundingList.objects.filter(
        commune=funding_list.commune, state=ListState.SETTLED, quarter__lt=funding_list.quarter
    ).filter(Q(carried_into__isnull=True) | Q(carried_into=funding_list))
    carried = 0
    for previous in earlier:
        carried += previous.difference or 0
    earlier.update(carried_into=funding_list)
    return carried


def list_totals(funding_list: FundingList) -> dict[str, int]:
    totals = funding_list.lines.aggregate(
        contribution=Sum("contribution"),
        state=Sum("state_support"),
        province=Sum("province_support"),
        member=Sum("member_pays"),
    )
    totals = {k: v or 0 for k, v in totals.items()}
    totals["budget"] = totals["state"] + totals["province"]
    totals["requested"] = totals["budget"] + funding_list.carried_in
    return totals


# --- Workflow -----------------------------------------------------------------------------


def funding_list_transition(
    *,
    funding_list: FundingList,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    document_number: str = "",
    day: datetime.date | None = None,
    amount: int | None = None,
    today: datetime.date | None = None,
) -> FundingList:
    """Move the list one step. `advance` needs the document number, date and amount of the
    provisional funds; `settle` (after the quarter) the actual amount due, whose difference
    with the advance is carried into the commune's next open list."""
    today = today or timezone.localdate()
    _check_step_input(funding_list, action, document_number, amount, today)
    with transaction.atomic():
        FUNDING_FLOW.apply(
            funding_list,
            action,
            actor=actor,
            unit=funding_list.commune,
            comment=comment,
            seen_state=seen_state,
            record=lambda **fields: FundingAction.objects.create(
                funding_list=funding_list, **fields
            ),
        )
        if action == "approve":
            funding_list.approved_at = timezone.now()
            funding_list.save(update_fields=["approved_at"])
        elif action == "advance":
            funding_list.advance_number = document_number.strip()
            funding_list.advance_date = day or today
            funding_list.advance_amount = amount
            funding_list.save(update_fields=["advance_number", "advance_date", "advance_amount"])
        elif action == "settle":
            funding_list.actual_amount = amount
            funding_list.settled_on = day or today
            following = (
                FundingList.objects.select_for_update()
                .filter(
                    commune=funding_list.commune,
                    quarter__gt=funding_list.quarter,
                    state__in=LIST_OPEN_STATES,
                )
                .order_by("quarter")
                .first()
            )
            fields = ["actual_amount", "settled_on"]
            if following is not None:
                following.carried_in += funding_list.difference
                following.save(update_fields=["carried_in"])
                funding_list.carried_into = following
                fields.append("carried_into")
            funding_list.save(update_fields=fields)
    return funding_list


def _check_step_input(
    funding_list: FundingList,
    action: str,
    document_number: str,
    amount: int | None,
    today: datetime.date,
) -> None:
    if action == "submit":
        _check_submittable(funding_list)
    if action == "advance":
        if not document_number.strip():
            raise ValidationError(_("Cần ghi số chứng từ tạm cấp kinh phí."))
        if amount is None or amount < 0:
            raise ValidationError(_("Cần ghi số tiền tạm cấp (đồng, không âm)."))
    if action == "settle":
        if today <= funding_list.end:
            raise ValidationError(
                _("Chỉ quyết toán sau khi hết %(quarter)s (sau ngày %(end)s).")
                % {"quarter": funding_list.quarter_label, "end": format_date(funding_list.end)}
            )
        if amount is None or amount < 0:
            raise ValidationError(_("Cần ghi kinh phí thực tế phải cấp trong quý (đồng)."))


def funding_list_step_check(
    *,
    funding_list: FundingList,
    state: str,
    action: str,
    actor: User,
    comment: str = "",
    document_number: str = "",
    amount: int | None = None,
    today: datetime.date | None = None,
) -> str:
    """The state `action` takes the list to from `state`, after every check
    `funding_list_transition` makes, without writing: for a known walk written in bulk (the
    demo's quarters). Returns the new state. (A settlement, which carries its difference into
    the next open list, goes through `funding_list_transition`.)"""
    _check_step_input(funding_list, action, document_number, amount, today or timezone.localdate())
    return FUNDING_FLOW.check(
        state, action, actor=actor, unit=funding_list.commune, comment=comment
    )


def _check_submittable(funding_list: FundingList) -> None:
    lines = funding_list.lines.all()
    if not lines.exists():
        raise ValidationError(
            _("Danh sách chưa có ai: đăng ký BHXH tự nguyện, BHYT cho thành viên rồi lập lại.")
        )
    errors = lines.exclude(error="").count()
    if errors:
        raise ValidationError(
            _(
                "Còn %(n)s dòng chưa áp dụng được quy định (xem thông báo trên từng dòng): cần "
                "bổ sung tham số hoặc sửa đăng ký rồi lập lại."
            )
            % {"n": errors}
        )


# --- Incident support ---------------------------------------------------------------------

INCIDENT_FLOW = Workflow(
    [
        Transition(
            "submit",
            (IncidentState.DRAFT, IncidentState.RETURNED),
            IncidentState.SUBMITTED,
            Perm.PREPARE_INSURANCE,
            gettext_lazy("Gửi duyệt"),
        ),
        Transition(
            "return",
            (IncidentState.SUBMITTED,),
            IncidentState.RETURNED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Trả lại"),
            comment_required=True,
        ),
        Transition(
            "approve",
            (IncidentState.SUBMITTED,),
            IncidentState.APPROVED,
            Perm.APPROVE_FUNDING,
            gettext_lazy("Phê duyệt"),
        ),
    ],
    allowed=can,
    locked_states={IncidentState.SUBMITTED, IncidentState.APPROVED},
    state_labels=lambda state: IncidentState(state).label,
)


@dataclass(frozen=True)
class IncidentData:
    membership: Membership
    kind: str
    occurred_on: datetime.date
    description: str
    medical_costs: int = 0
    inpatient_days: int = 0
    capacity_loss: int = 0  # % loss of working capacity assessed by the medical council


def _insured_on(person_id: int, day: datetime.date) -> str:
    in_force = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
    if VsiEnrolment.objects.filter(in_force, person_id=person_id).exists():
        return _("BHXH tự nguyện")
    if HiEnrolment.objects.filter(in_force, person_id=person_id).exists():
        return _("BHYT")
    return ""


def _incident_compute(incident: Incident) -> None:
    jurisdiction = incident.commune.jurisdiction
    incident.error, incident.rule_amount, incident.snapshot = "", 0, None
    try:
        result = engine.uninsured_incident(
            jurisdiction=jurisdiction,
            on=incident.occurred_on,
            params=database_parameters([jurisdiction]),
            inpatient_days=incident.inpatient_days,
            died=incident.died,
            capacity_loss=incident.capacity_loss,
        )
    except RuleError as exc:
        incident.error = str(exc)
        return
    store = SnapshotStore()
    incident.snapshot = store.for_result(result)
    store.save()
    incident.snapshot_id = incident.snapshot.pk
    incident.rule_amount = result.amount


def incident_save(*, data: IncidentData, actor: User, incident: Incident | None = None) -> Incident:
    """Record (or correct, while the commune holds it) an incident and compute its amounts."""
    m = data.membership
    if incident is not None and not incident.is_open:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái «%(state)s»: không sửa được.")
            % {"state": incident.get_state_display()}
        )
    if data.occurred_on < m.start_date or (m.end_date and data.occurred_on > m.end_date):
        raise ValidationError(
            {"occurred_on": _("Ngày xảy ra ngoài thời gian %(name)s tham gia Tổ.")
             % {"name": m.person.full_name}}
        )  # fmt: skip
    if data.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("Ngày xảy ra chưa đến.")})
    insured = _insured_on(m.person_id, data.occurred_on)
    if insured:
        raise ValidationError(
            _(
                "%(name)s đang tham gia %(scheme)s vào ngày %(day)s: chế độ do cơ quan bảo hiểm "
                "giải quyết, không thuộc hỗ trợ thành viên chưa tham gia BHXH, BHYT."
            )
            % {"name": m.person.full_name, "scheme": insured, "day": format_date(data.occurred_on)}
        )
    if data.medical_costs < 0 or data.inpatient_days < 0:
        raise ValidationError(_("Chi phí và số ngày điều trị không được âm."))
    if not 0 <= data.capacity_loss <= 100:
        raise ValidationError(
            {"capacity_loss": _("Tỷ lệ suy giảm khả năng lao động từ 0 đến 100 %.")}
        )
    incident = incident or Incident(created_by=actor)
    incident.membership = m
    incident.commune_id = m.team.commune_id
    incident.kind = data.kind
    incident.occurred_on = data.occurred_on
    incident.description = data.description.strip()
    incident.medical_costs = data.medical_costs
    incident.inpatient_days = 0 if data.kind == IncidentKind.DEATH else data.inpatient_days
    incident.capacity_loss = 0 if data.kind == IncidentKind.DEATH else data.capacity_loss
    incident.commune = m.team.commune
    _incident_compute(incident)
    incident.save()
    return incident


def incident_document_add(*, incident: Incident, title: str, file, actor: User) -> IncidentDocument:
    if incident.state == IncidentState.APPROVED:
        raise ValidationError(_("Hồ sơ đã duyệt: không bổ sung giấy tờ."))
    try:  # the content, not only the name: PDF, JPG or PNG, never SVG (core.uploads)
        check_document(file, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    document = IncidentDocument(
        incident=incident, title=title.strip(), file=file, uploaded_by=actor
    )
    document.full_clean()
    document.save()
    return document


def incident_transition(
    *,
    incident: Incident,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    decision_number: str = "",
) -> Incident:
    if action == "submit":
        if incident.error:
            raise ValidationError(
                _("Chưa tính được mức hỗ trợ: %(error)s") % {"error": incident.error}
            )
        if not incident.documents.exists():
            raise ValidationError(
                _("Cần đính kèm giấy tờ (giấy ra viện, hóa đơn, biên bản, giấy chứng tử…).")
            )
    if action == "approve" and not decision_number.strip():
        raise ValidationError(_("Cần ghi số quyết định hỗ trợ khi phê duyệt."))
    with transaction.atomic():
        INCIDENT_FLOW.apply(
            incident,
            action,
            actor=actor,
            unit=incident.commune,
            comment=comment,
            seen_state=seen_state,
            record=lambda **fields: IncidentAction.objects.create(incident=incident, **fields),
        )
        if action == "approve":
            incident.approved_at = timezone.now()
            incident.decision_number = decision_number.strip()
            incident.save(update_fields=["approved_at", "decision_number"])
    return incident
