"""Writes of the "An toàn về an ninh, trật tự" work. Every refusal is a ValidationError with a
Vietnamese message saying what to fix, raised before anything is written.

The year of a residential area and the commune's own year move through core.workflow state
tables: each step is an action row (who, when, comment) and a decided year is read-only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_date
from core.periods import EvaluationYear
from core.workflow import Transition, Workflow
from rules import safe_areas as rules
from teams.access import Perm, can
from teams.models import AdministrativeUnit, ResidentialArea, User

from . import selectors
from .models import (
    DECIDED,
    AreaEvent,
    AreaYear,
    AreaYearAction,
    AssessmentItem,
    CommuneYear,
    CommuneYearAction,
    Establishment,
    EstablishmentYear,
    ModelStatus,
    SelfManagementModel,
    YearState,
    area_year_window,
    unit_year_window,
)

S = YearState

AREA_FLOW = Workflow(
    [
        Transition("register", (S.DRAFT,), S.REGISTERED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Đăng ký")),
        Transition("assess", (S.REGISTERED, S.RETURNED), S.ASSESSED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Gửi tự đánh giá lên xã")),
        Transition("review", (S.ASSESSED,), S.REVIEWED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Thẩm định, trình UBND xã")),
        Transition("return", (S.ASSESSED, S.REVIEWED), S.RETURNED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Trả lại để đánh giá lại"), comment_required=True),
        Transition("recognise", (S.REVIEWED,), S.RECOGNISED, Perm.SAFE_AREAS_DECIDE,
                   gettext_lazy("Quyết định công nhận")),
        Transition("not_recognise", (S.REVIEWED,), S.NOT_RECOGNISED, Perm.SAFE_AREAS_DECIDE,
                   gettext_lazy("Quyết định không công nhận"), comment_required=True),
    ],
    allowed=can,
    locked_states=DECIDED,
    state_labels=lambda state: YearState(state).label,
)  # fmt: skip

COMMUNE_FLOW = Workflow(
    [
        Transition("register", (S.DRAFT,), S.REGISTERED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Đăng ký")),
        Transition("assess", (S.REGISTERED, S.RETURNED), S.ASSESSED, Perm.SAFE_AREAS_ENTER,
                   gettext_lazy("Gửi hồ sơ đề nghị công nhận")),
        Transition("return", (S.ASSESSED,), S.RETURNED, Perm.SAFE_AREAS_DECIDE_COMMUNE,
                   gettext_lazy("Trả lại hồ sơ"), comment_required=True),
        Transition("recognise", (S.ASSESSED,), S.RECOGNISED, Perm.SAFE_AREAS_DECIDE_COMMUNE,
                   gettext_lazy("Quyết định công nhận")),
        Transition("not_recognise", (S.ASSESSED,), S.NOT_RECOGNISED,
                   Perm.SAFE_AREAS_DECIDE_COMMUNE, gettext_lazy("Quyết định không công nhận"),
                   comment_required=True),
    ],
    allowed=can,
    locked_states=DECIDED,
    state_labels=lambda state: YearState(state).label,
)  # fmt: skip


def _today() -> datetime.date:
    return timezone.localdate()


def _in_window(day: datetime.date, window: EvaluationYear, field: str, label: str) -> None:
    if day not in window:
        raise ValidationError(
            {
                field: _("%(label)s %(day)s nằm ngoài %(period)s.")
                % {"label": label, "day": format_date(day), "period": window.in_sentence}
            }
        )
    if day > _today():
        raise ValidationError(
            {field: _("%(label)s %(day)s chưa đến.") % {"label": label, "day": format_date(day)}}
        )


def _require(flow: Workflow, action: str, actor: User, unit: AdministrativeUnit) -> None:
    """The role check first, so that a role without the permission learns nothing else."""
    transition = flow.transitions[action]
    if not flow.allowed(actor, unit, transition.perm):
        raise PermissionDenied(
            _("Vai trò của bạn không được thực hiện «%(action)s».") % {"action": transition.label}
        )


def _refuse_decided(obj, what: str) -> None:
    if obj.state in DECIDED:
        raise ValidationError(
            _("%(what)s năm %(year)s đã có quyết định (%(state)s): không sửa được.")
            % {"what": what, "year": obj.year, "state": obj.get_state_display()}
        )


# --- Residential area -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    resolution_number: str
    resolution_date: datetime.date
    registered_on: datetime.date
    households_registered: int


def area_year_register(
    *, area: ResidentialArea, year: int, data: RegistrationData, actor: User
) -> AreaYear:
    """Quarter I: the Party cell's resolution and the area's registration for `year`."""
    window = area_year_window(year)
    existing = AreaYear.objects.filter(area=area, year=year).first()
    if existing is not None:
        raise ValidationError(
            _(
                "%(area)s đã đăng ký năm %(year)s (ngày %(day)s): mỗi năm chỉ đăng ký một lần. "
                "Mở hồ sơ năm %(year)s để xem hoặc tiếp tục."
            )
            % {"area": area.name, "year": year, "day": format_date(existing.registered_on)}
        )
    if not data.resolution_number.strip():
        raise ValidationError({"resolution_number": _("Ghi số nghị quyết của chi bộ.")})
    _in_window(data.resolution_date, window, "resolution_date", _("Ngày nghị quyết"))
    _in_window(data.registered_on, window, "registered_on", _("Ngày đăng ký"))
    if data.households_registered > area.households:
        raise ValidationError(
            {
                "households_registered": _(
                    "Số hộ đăng ký (%(n)s) nhiều hơn số hộ của %(area)s (%(total)s): sửa số hộ "
                    "đăng ký, hoặc cập nhật số hộ của khu dân cư trước."
                )
                % {"n": data.households_registered, "area": area.name, "total": area.households}
            }
        )
    try:
        with transaction.atomic():
            area_year = AreaYear.objects.create(
                area=area,
                commune=area.commune,
                year=year,
                resolution_number=data.resolution_number.strip(),
                resolution_date=data.resolution_date,
                registered_on=data.registered_on,
                households_registered=data.households_registered,
                households_total=area.households,
                created_by=actor,
            )
            AREA_FLOW.apply(
                area_year,
                "register",
                actor=actor,
                unit=area.commune,
                record=_area_record(area_year),
            )
    except IntegrityError:  # a second officer registered the same year a moment before
        raise ValidationError(
            _("%(area)s đã đăng ký năm %(year)s: mỗi năm chỉ đăng ký một lần.")
            % {"area": area.name, "year": year}
        ) from None
    return area_year


def _area_record(area_year: AreaYear):
    return lambda **fields: AreaYearAction.objects.create(area_year=area_year, **fields)


def area_event_record(
    *,
    area_year: AreaYear,
    criterion: str,
    occurred_on: datetime.date,
    description: str,
    actor: User,
) -> AreaEvent:
    """An event of the period that breaks a criterion of Art. 4 cl. 3: it fails that
    criterion for the year."""
    _refuse_decided(area_year, _("Hồ sơ của %(area)s") % {"area": area_year.area.name})
    codes = {
        c.code
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind == rules.Kind.EVENT
    }
    if criterion not in codes:
        raise ValidationError({"criterion": _("Chọn một tiêu chí của khoản 3 Điều 4.")})
    if not description.strip():
        raise ValidationError({"description": _("Mô tả sự việc đã xảy ra.")})
    _in_window(occurred_on, area_year.window, "occurred_on", _("Ngày xảy ra"))
    return AreaEvent.objects.create(
        area_year=area_year,
        criterion=criterion,
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by=actor,
    )


def area_assess(
    *,
    area_year: AreaYear,
    answers: dict[str, tuple[bool, str]],
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
) -> AreaYear:
    """The self-assessment after the period, criterion by criterion, sent to the commune."""
    _refuse_decided(area_year, _("Hồ sơ của %(area)s") % {"area": area_year.area.name})
    window = area_year.window
    if _today() <= window.end:
        raise ValidationError(
            _("Kỳ đánh giá năm %(year)s kết thúc ngày %(end)s: tự đánh giá sau ngày đó.")
            % {"year": area_year.year, "end": format_date(window.end)}
        )
    criteria = [
        c
        for c in selectors.area_criteria(area_year.commune, area_year.year)
        if c.kind != rules.Kind.REGISTRATION
    ]
    missing = [c.code for c in criteria if c.code not in answers]
    if missing:
        raise ValidationError(
            _("Chưa đánh giá tiêu chí: %(codes)s. Chọn «Đạt» hoặc «Chưa đạt» cho từng tiêu chí.")
            % {"codes": ", ".join(missing)}
        )
    with transaction.atomic():
        area_year.answers.all().delete()
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                area_year=area_year,
                criterion=c.code,
                met=answers[c.code][0],
                evidence=answers[c.code][1].strip(),
            )
            for c in criteria
        )
        AREA_FLOW.apply(
            area_year,
            "assess",
            actor=actor,
            unit=area_year.commune,
            comment=comment,
            seen_state=seen_state,
            record=_area_record(area_year),
        )
    return area_year


@dataclass(frozen=True)
class DecisionData:
    number: str = ""
    date: datetime.date | None = None
    signer: str = ""


def _check_decision(decision: DecisionData, *, not_before: datetime.date) -> None:
    errors = {}
    if not decision.number.strip():
        errors["decision_number"] = _("Ghi số quyết định.")
    if not decision.signer.strip():
        errors["decision_signer"] = _("Ghi người ký quyết định.")
    if decision.date is None:
        errors["decision_date"] = _("Ghi ngày quyết định.")
    elif decision.date < not_before:
        errors["decision_date"] = _(
            "Ngày quyết định %(day)s trước ngày gửi hồ sơ tự đánh giá (%(sent)s)."
        ) % {"day": format_date(decision.date), "sent": format_date(not_before)}
    elif decision.date > _today():
        errors["decision_date"] = _("Ngày quyết định %(day)s chưa đến.") % {
            "day": format_date(decision.date)
        }
    if errors:
        raise ValidationError(errors)


def _failed_message(evaluation: rules.Evaluation) -> str:
    parts = []
    for outcome in evaluation.failed:
        reasons = "; ".join(outcome.reasons)
        parts.append(f"{outcome.criterion.code} ({outcome.criterion.text}) — {reasons}")
    for outcome in evaluation.unanswered:
        parts.append(f"{outcome.criterion.code}: chưa được đánh giá")
    return "; ".join(parts)


def area_year_transition(
    *,
    area_year: AreaYear,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    decision: DecisionData | None = None,
) -> AreaYear:
    """The commune's review and the commune People's Committee's decision."""
    if action not in AREA_FLOW.transitions or action in {"register", "assess"}:
        raise ValidationError(_("Thao tác không hợp lệ."))
    _require(AREA_FLOW, action, actor, area_year.commune)
    if action in {"recognise", "not_recognise"}:
        if area_year.state in (S.REGISTERED, S.RETURNED, S.DRAFT):
            raise ValidationError(
                _(
                    "Chưa có bản tự đánh giá được xã thẩm định: khu dân cư tự đánh giá, gửi "
                    "xã, xã thẩm định rồi UBND xã mới quyết định."
                )
            )
        if area_year.state == S.ASSESSED:
            raise ValidationError(
                _("Xã chưa thẩm định bản tự đánh giá: thẩm định, trình UBND xã trước.")
            )
        decision = decision or DecisionData()
        sent = (
            area_year.actions.filter(to_state=S.ASSESSED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        _check_decision(
            decision, not_before=timezone.localdate(sent) if sent else area_year.window.end
        )
        if action == "recognise":
            evaluation = selectors.evaluate(area_year)
            if not evaluation.passed:
                raise ValidationError(
                    _("Không thể công nhận %(area)s: chưa đạt %(failed)s.")
                    % {"area": area_year.area.name, "failed": _failed_message(evaluation)}
                )
    with transaction.atomic():
        AREA_FLOW.apply(
            area_year,
            action,
            actor=actor,
            unit=area_year.commune,
            comment=comment,
            seen_state=seen_state,
            record=_area_record(area_year),
        )
        if decision is not None and action in {"recognise", "not_recognise"}:
            area_year.decision_number = decision.number.strip()
            area_year.decision_date = decision.date
            area_year.decision_signer = decision.signer.strip()
            area_year.save(update_fields=["decision_number", "decision_date", "decision_signer"])
    return area_year


# --- Agencies, enterprises, schools ---------------------------------------------------------


def establishment_save(
    *,
    commune: AdministrativeUnit,
    name: str,
    kind: str,
    address: str,
    active: bool = True,
    establishment: Establishment | None = None,
) -> Establishment:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Ghi tên cơ quan, doanh nghiệp, cơ sở giáo dục.")})
    duplicate = Establishment.objects.filter(commune=commune, name=name)
    if establishment is not None:
        duplicate = duplicate.exclude(pk=establishment.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("Xã đã có «%(name)s» trong danh sách.") % {"name": name}})
    establishment = establishment or Establishment(commune=commune)
    establishment.name, establishment.kind = name, kind
    establishment.address, establishment.active = address.strip(), active
    establishment.save()
    return establishment


def establishment_year_register(
    *, establishment: Establishment, year: int, registered_on: datetime.date
) -> EstablishmentYear:
    window = unit_year_window(year)
    existing = establishment.years.filter(year=year).first()
    if existing is not None:
        raise ValidationError(
            _("%(name)s đã đăng ký năm %(year)s (ngày %(day)s): mỗi năm chỉ đăng ký một lần.")
            % {"name": establishment.name, "year": year, "day": format_date(existing.registered_on)}
        )
    _in_window(registered_on, window, "registered_on", _("Ngày đăng ký"))
    return EstablishmentYear.objects.create(
        establishment=establishment, year=year, registered_on=registered_on
    )


def establishment_year_decide(
    *, establishment_year: EstablishmentYear, recognised: bool, decision: DecisionData
) -> EstablishmentYear:
    """The commune People's Committee's decision on an agency, enterprise or school."""
    if establishment_year.recognised is not None:
        raise ValidationError(
            _("Năm %(year)s của %(name)s đã có quyết định: không sửa được.")
            % {"year": establishment_year.year, "name": establishment_year.establishment.name}
        )
    _check_decision(decision, not_before=establishment_year.registered_on)
    establishment_year.recognised = recognised
    establishment_year.decision_number = decision.number.strip()
    establishment_year.decision_date = decision.date
    establishment_year.decision_signer = decision.signer.strip()
    establishment_year.save()
    return establishment_year


# --- Self-management models -----------------------------------------------------------------


@dataclass(frozen=True)
class ModelData:
    name: str
    field: str
    started_on: datetime.date
    households_signed: int
    ended_on: datetime.date | None = None
    status: str = ModelStatus.ACTIVE


def model_save(
    *,
    area: ResidentialArea,
    data: ModelData,
    actor: User,
    model: SelfManagementModel | None = None,
) -> SelfManagementModel:
    if not data.name.strip():
        raise ValidationError({"name": _("Ghi tên mô hình.")})
    if data.households_signed > area.households:
        raise ValidationError(
            {
                "households_signed": _(
                    "Số hộ ký cam kết (%(n)s) nhiều hơn số hộ của %(area)s (%(total)s)."
                )
                % {"n": data.households_signed, "area": area.name, "total": area.households}
            }
        )
    if data.started_on > _today():
        raise ValidationError({"started_on": _("Ngày bắt đầu chưa đến.")})
    if data.ended_on and data.ended_on < data.started_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    if data.status == ModelStatus.ENDED and not data.ended_on:
        raise ValidationError({"ended_on": _("Mô hình đã dừng: ghi ngày kết thúc.")})
    model = model or SelfManagementModel(area=area, commune=area.commune, created_by=actor)
    model.name = data.name.strip()
    model.field = data.field
    model.started_on = data.started_on
    model.ended_on = data.ended_on
    model.households_signed = data.households_signed
    model.status = data.status
    model.save()
    return model


def model_recognise(
    *, model: SelfManagementModel, number: str, on: datetime.date
) -> SelfManagementModel:
    """The commune appraisal team's recognition of a model (seed 003, III.6)."""
    if model.recognised:
        raise ValidationError(
            _("Mô hình đã được công nhận (quyết định %(n)s).") % {"n": model.recognition_number}
        )
    if not number.strip():
        raise ValidationError({"recognition_number": _("Ghi số quyết định công nhận.")})
    if on < model.started_on or on > _today():
        raise ValidationError(
            {"recognition_date": _("Ngày công nhận phải từ ngày bắt đầu mô hình đến hôm nay.")}
        )
    model.recognition_number, model.recognition_date = number.strip(), on
    model.save(update_fields=["recognition_number", "recognition_date"])
    return model


# --- The commune's own year --------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRegistrationData:
    party_resolution_number: str
    party_resolution_date: datetime.date
    plan_number: str
    plan_date: datetime.date
    registered_on: datetime.date


def commune_year_register(
    *, commune: AdministrativeUnit, year: int, data: CommuneRegistrationData, actor: User
) -> CommuneYear:
    window = unit_year_window(year)
    existing = CommuneYear.objects.filter(commune=commune, year=year).first()
    if existing is not None:
        raise ValidationError(
            _("%(name)s đã đăng ký năm %(year)s (ngày %(day)s): mỗi năm chỉ đăng ký một lần.")
            % {"name": commune.name, "year": year, "day": format_date(existing.registered_on)}
        )
    if not data.party_resolution_number.strip():
        raise ValidationError({"party_resolution_number": _("Ghi số nghị quyết của Đảng ủy.")})
    if not data.plan_number.strip():
        raise ValidationError({"plan_number": _("Ghi số kế hoạch của UBND xã.")})
    _in_window(data.party_resolution_date, window, "party_resolution_date", _("Ngày nghị quyết"))
    _in_window(data.plan_date, window, "plan_date", _("Ngày kế hoạch"))
    _in_window(data.registered_on, window, "registered_on", _("Ngày đăng ký"))
    with transaction.atomic():
        commune_year = CommuneYear.objects.create(
            commune=commune,
            year=year,
            party_resolution_number=data.party_resolution_number.strip(),
            party_resolution_date=data.party_resolution_date,
            plan_number=data.plan_number.strip(),
            plan_date=data.plan_date,
            registered_on=data.registered_on,
            deciding_unit=selectors.deciding_unit_for(commune),
            created_by=actor,
        )
        COMMUNE_FLOW.apply(
            commune_year, "register", actor=actor, unit=commune,
            record=_commune_record(commune_year),
        )  # fmt: skip
    return commune_year


def _commune_record(commune_year: CommuneYear):
    return lambda **fields: CommuneYearAction.objects.create(commune_year=commune_year, **fields)


def commune_year_assess(
    *,
    commune_year: CommuneYear,
    disciplined_officers: int,
    criteria_met: bool,
    evidence: str,
    actor: User,
    seen_state: str | None = None,
) -> CommuneYear:
    _refuse_decided(commune_year, commune_year.commune.name)
    window = commune_year.window
    if _today() <= window.end:
        raise ValidationError(
            _("Kỳ đánh giá của xã năm %(year)s kết thúc ngày %(end)s: gửi hồ sơ sau ngày đó.")
            % {"year": commune_year.year, "end": format_date(window.end)}
        )
    with transaction.atomic():
        commune_year.disciplined_officers = disciplined_officers
        commune_year.criteria_met = criteria_met
        commune_year.evidence = evidence.strip()
        commune_year.save(update_fields=["disciplined_officers", "criteria_met", "evidence"])
        COMMUNE_FLOW.apply(
            commune_year, "assess", actor=actor, unit=commune_year.commune,
            seen_state=seen_state, record=_commune_record(commune_year),
        )  # fmt: skip
    return commune_year


def commune_year_transition(
    *,
    commune_year: CommuneYear,
    action: str,
    actor: User,
    comment: str = "",
    seen_state: str | None = None,
    decision: DecisionData | None = None,
) -> CommuneYear:
    """The deciding unit's decision on the commune (read from the tree, per province)."""
    if action not in {"return", "recognise", "not_recognise"}:
        raise ValidationError(_("Thao tác không hợp lệ."))
    _require(COMMUNE_FLOW, action, actor, commune_year.deciding_unit)
    if action != "return":
        if commune_year.state != S.ASSESSED:
            raise ValidationError(_("Xã chưa gửi hồ sơ đề nghị công nhận: chưa quyết định được."))
        decision = decision or DecisionData()
        _check_decision(decision, not_before=commune_year.window.end)
        if action == "recognise":
            evaluation = selectors.commune_evaluation(
                commune=commune_year.commune, year=commune_year.year, commune_year=commune_year
            )
            if not evaluation.passed:
                raise ValidationError(
                    _("Không thể công nhận %(name)s: chưa đạt %(failed)s.")
                    % {"name": commune_year.commune.name, "failed": _failed_message(evaluation)}
                )
    with transaction.atomic():
        COMMUNE_FLOW.apply(
            commune_year, action, actor=actor, unit=commune_year.deciding_unit,
            comment=comment, seen_state=seen_state, record=_commune_record(commune_year),
        )  # fmt: skip
        if decision is not None and action != "return":
            commune_year.decision_number = decision.number.strip()
            commune_year.decision_date = decision.date
            commune_year.decision_signer = decision.signer.strip()
            commune_year.save(update_fields=["decision_number", "decision_date", "decision_signer"])
    return commune_year
