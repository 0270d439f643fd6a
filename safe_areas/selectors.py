"""Reads of the "An toàn về an ninh, trật tự" work: a year's evaluation against the criteria in
force, the commune's overview, the computed commune criterion (never typed) and the
consolidation by unit and year. Query counts stay constant in the number of areas."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import cast

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.periods import EvaluationYear
from rules import safe_areas as rules
from teams.access import scope_q
from teams.models import AdministrativeUnit, Level, ResidentialArea, User

from .models import (
    AreaYear,
    CommuneYear,
    Establishment,
    EstablishmentYear,
    ModelField,
    ModelStatus,
    SelfManagementModel,
    YearState,
    area_year_of,
    area_year_window,
    unit_year_window,
)

FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 2025, 2030  # seed 003: the 2025–2030 plan


def province_code(unit: AdministrativeUnit) -> str:
    """The current province's GSO code, from the unit's path (``2025/51/…`` → ``51``)."""
    parts = unit.path.strip("/").split("/")
    return parts[1] if len(parts) > 1 else ""


def current_year(today: datetime.date | None = None) -> int:
    """The latest area year whose period has ended (what is being assessed now)."""
    today = today or timezone.localdate()
    return area_year_of(today) - 1


def years_offered(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    running = area_year_of(today)
    return list(range(min(FIRST_PLAN_YEAR, running), max(LAST_PLAN_YEAR, running) + 1))


def area_criteria(commune: AdministrativeUnit, year: int) -> list[rules.Criterion]:
    window = area_year_window(year)
    return rules.catalogue().for_subject(
        rules.Subject.AREA, on=window.end, province=province_code(commune)
    )


def commune_criteria(commune: AdministrativeUnit, year: int) -> list[rules.Criterion]:
    window = unit_year_window(year)
    return rules.catalogue().for_subject(
        rules.Subject.COMMUNE, on=window.end, province=province_code(commune)
    )


def registration_of(area_year: AreaYear | None) -> rules.Registration | None:
    if area_year is None or area_year.state == YearState.DRAFT:
        return None
    return rules.Registration(
        resolution_number=area_year.resolution_number,
        resolution_date=area_year.resolution_date,
        registered_on=area_year.registered_on,
        households_registered=area_year.households_registered,
        households_total=area_year.households_total,
    )


def evaluate(area_year: AreaYear, *, events=None, answers=None, criteria=None) -> rules.Evaluation:
    """The year against the criteria; `events`/`answers` may be given prefetched."""
    events = area_year.events.all() if events is None else events
    answers = area_year.answers.all() if answers is None else answers
    return rules.evaluate_area(
        criteria or area_criteria(area_year.commune, area_year.year),
        period=area_year.window,
        registration=registration_of(area_year),
        events=[rules.Event(e.criterion, e.occurred_on, e.description) for e in events],
        answers={a.criterion: rules.Answer(a.met, a.evidence) for a in answers},
    )


@dataclass
class AreaYearPage:
    area: ResidentialArea
    year: int
    window: EvaluationYear
    area_year: AreaYear | None
    criteria: list[rules.Criterion]
    evaluation: rules.Evaluation
    events: list
    answers: dict
    actions: list


def area_year_page(*, area: ResidentialArea, year: int) -> AreaYearPage:
    area_year = (
        AreaYear.objects.filter(area=area, year=year).select_related("area", "commune").first()
    )
    criteria = area_criteria(area.commune, year)
    events, answers, actions = [], {}, []
    if area_year is not None:
        events = list(area_year.events.select_related("recorded_by"))
        answers = {a.criterion: a for a in area_year.answers.all()}
        actions = list(area_year.actions.select_related("actor"))
        evaluation = evaluate(area_year, events=events, answers=answers.values(), criteria=criteria)
    else:
        evaluation = rules.evaluate_area(criteria, period=area_year_window(year), registration=None)
    return AreaYearPage(
        area=area,
        year=year,
        window=area_year_window(year),
        area_year=area_year,
        criteria=criteria,
        evaluation=evaluation,
        events=events,
        answers=answers,
        actions=actions,
    )


# --- The commune ------------------------------------------------------------------------------


@dataclass
class AreaRow:
    area: ResidentialArea
    area_year: AreaYear | None
    evaluation: rules.Evaluation | None
    models: int = 0


def _years_with_detail(qs: QuerySet[AreaYear]) -> QuerySet[AreaYear]:
    return qs.select_related("area", "commune").prefetch_related("events", "answers")


def unregistered(rows: list[AreaRow]) -> int:
    """How many of the rows have not registered for their year."""
    return sum(1 for r in rows if r.area_year is None)


def commune_area_rows(*, commune: AdministrativeUnit, year: int) -> list[AreaRow]:
    """Every area of the commune with its year (or none): 4 queries whatever the count."""
    areas = list(ResidentialArea.objects.filter(commune=commune).order_by("name"))
    years = {
        y.area_id: y
        for y in _years_with_detail(AreaYear.objects.filter(commune=commune, year=year))
    }
    models = Counter(
        SelfManagementModel.objects.filter(commune=commune, status=ModelStatus.ACTIVE).values_list(
            "area_id", flat=True
        )
    )
    criteria = area_criteria(commune, year)
    rows = []
    for area in areas:
        area_year = years.get(area.pk)
        evaluation = None
        if area_year is not None:
            area_year.area = area
            area_year.commune = commune
            evaluation = evaluate(
                area_year,
                events=area_year.events.all(),
                answers=area_year.answers.all(),
                criteria=criteria,
            )
        rows.append(AreaRow(area, area_year, evaluation, models.get(area.pk, 0)))
    return rows


@dataclass
class EstablishmentRow:
    establishment: Establishment
    year: EstablishmentYear | None


def commune_establishments(*, commune: AdministrativeUnit, year: int) -> list[EstablishmentRow]:
    establishments = list(
        Establishment.objects.filter(commune=commune).prefetch_related(
            Prefetch("years", EstablishmentYear.objects.filter(year=year), to_attr="this_year")
        )
    )
    return [EstablishmentRow(e, e.this_year[0] if e.this_year else None) for e in establishments]


def commune_models(*, commune: AdministrativeUnit) -> QuerySet[SelfManagementModel]:
    return SelfManagementModel.objects.filter(commune=commune).select_related("area")


def area_models(*, area: ResidentialArea) -> QuerySet[SelfManagementModel]:
    return SelfManagementModel.objects.filter(area=area)


def share_for(*, commune: AdministrativeUnit, year: int) -> rules.ShareResult:
    """Art. 5 cl. 4 computed from the data: the commune's areas and its agencies, enterprises
    and schools still managed, registered for `year` and recognised."""
    areas = ResidentialArea.objects.filter(commune=commune).count()
    area_years = AreaYear.objects.filter(commune=commune, year=year).exclude(state=YearState.DRAFT)
    counts = area_years.aggregate(
        registered=Count("pk"), recognised=Count("pk", filter=Q(state=YearState.RECOGNISED))
    )
    establishments = Establishment.objects.filter(commune=commune, active=True)
    est_years = EstablishmentYear.objects.filter(
        establishment__commune=commune, establishment__active=True, year=year
    ).aggregate(registered=Count("pk"), recognised=Count("pk", filter=Q(recognised=True)))
    return rules.commune_share(
        total=areas + establishments.count(),
        registered=counts["registered"] + est_years["registered"],
        recognised=counts["recognised"] + est_years["recognised"],
        on=unit_year_window(year).end,
        province=province_code(commune),
    )


def effective_models(*, commune: AdministrativeUnit, year: int) -> QuerySet[SelfManagementModel]:
    """Security-and-order models recognised by the appraisal team and running during the
    commune's window: what Art. 5 cl. 1's "at least one effective model" is read from."""
    window = unit_year_window(year)
    return SelfManagementModel.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=window.start),
        commune=commune,
        field=ModelField.SECURITY,
        started_on__lte=window.end,
        recognition_date__isnull=False,
        recognition_date__lte=window.end,
    ).exclude(recognition_number="")


def commune_evaluation(
    *, commune: AdministrativeUnit, year: int, commune_year: CommuneYear | None
) -> rules.Evaluation:
    window = unit_year_window(year)
    outcomes = []
    for c in commune_criteria(commune, year):
        if c.kind == rules.Kind.COMMUNE_REGISTRATION:
            reasons: list[str] = []
            if commune_year is None or commune_year.state == YearState.DRAFT:
                reasons.append("Xã chưa đăng ký phấn đấu đạt tiêu chuẩn trong năm.")
            else:
                q_start, q_end = datetime.date(year, 1, 1), datetime.date(year, 3, 31)
                for label, day in (
                    ("Nghị quyết của Đảng ủy", commune_year.party_resolution_date),
                    ("Kế hoạch của UBND xã", commune_year.plan_date),
                    ("Ngày đăng ký", commune_year.registered_on),
                ):
                    if not q_start <= day <= q_end:
                        reasons.append(f"{label} ngày {day:%d/%m/%Y} không trong quý I/{year}.")
            if not effective_models(commune=commune, year=year).exists():
                reasons.append(
                    "Chưa có mô hình tự quản về an ninh, trật tự được tổ thẩm định công nhận "
                    f"và hoạt động trong kỳ {window.start:%d/%m/%Y} – {window.end:%d/%m/%Y}."
                )
            outcomes.append(rules.Outcome(c, not reasons, tuple(reasons)))
        elif c.kind == rules.Kind.DISCIPLINE:
            n = commune_year.disciplined_officers if commune_year else None
            if n is None:
                outcomes.append(rules.Outcome(c, None))
            else:
                why = (f"{n} cán bộ, chiến sĩ Công an xã bị xử lý kỷ luật trong kỳ.",)
                outcomes.append(rules.Outcome(c, n == 0, () if n == 0 else why))
        elif c.kind == rules.Kind.SHARE:
            share = share_for(commune=commune, year=year)
            outcomes.append(rules.Outcome(c, share.met, tuple(share.reasons)))
        else:
            met = commune_year.criteria_met if commune_year else None
            if met is None:
                outcomes.append(rules.Outcome(c, None))
            else:
                note = (commune_year.evidence if commune_year else "") or "Tự đánh giá: chưa đạt."
                outcomes.append(rules.Outcome(c, met, () if met else (note,)))
    return rules.Evaluation(tuple(outcomes))


def commune_year_of(*, commune: AdministrativeUnit, year: int) -> CommuneYear | None:
    return (
        CommuneYear.objects.filter(commune=commune, year=year)
        .select_related("deciding_unit", "commune")
        .first()
    )


def deciding_unit_for(commune: AdministrativeUnit) -> AdministrativeUnit:
    """The unit whose decision recognises a commune, read from the tree: per province
    (setting SAFE_AREAS["commune_decider"]), its district while the tree has one, else the
    province."""
    deciders = cast(dict[str, str], settings.SAFE_AREAS["commune_decider"])
    choice = deciders.get(province_code(commune), deciders.get("default", "district"))
    ancestors = {
        u.level: u for u in AdministrativeUnit.objects.filter(path__in=commune.ancestor_paths)
    }
    if choice == "district" and Level.DISTRICT in ancestors:
        return ancestors[Level.DISTRICT]
    return ancestors.get(Level.PROVINCE) or commune.parent or commune


# --- Consolidation ------------------------------------------------------------------------------


@dataclass
class CommuneSummary:
    commune: AdministrativeUnit
    areas: int = 0
    registered: int = 0
    recognised: int = 0
    not_recognised: int = 0
    households: int = 0
    households_registered: int = 0
    establishments: int = 0
    establishments_recognised: int = 0
    models: int = 0
    commune_state: str = ""

    @property
    def share(self) -> str:
        total = self.areas + self.establishments
        if not total:
            return "—"
        return rules.percent_label(
            Fraction(self.recognised + self.establishments_recognised, total)
        )


@dataclass
class Summary:
    unit: AdministrativeUnit
    year: int
    communes: list[CommuneSummary]
    failed_by_criterion: list[tuple[rules.Criterion, int]]
    models_by_field: list[tuple[str, int]]
    by_year: list[tuple[int, int, int]]  # (year, registered, recognised)
    totals: CommuneSummary = field(init=False)

    def __post_init__(self):
        total = CommuneSummary(commune=self.unit)
        for c in self.communes:
            for name in (
                "areas", "registered", "recognised", "not_recognised", "households",
                "households_registered", "establishments", "establishments_recognised", "models",
            ):  # fmt: skip
                setattr(total, name, getattr(total, name) + getattr(c, name))
        self.totals = total


def summary(*, actor: User, unit: AdministrativeUnit, year: int) -> Summary:
    """Per commune under `unit`: areas registered, recognised, failed by criterion, models by
    field; and year over year for the plan. A fixed number of queries."""
    communes = list(
        AdministrativeUnit.objects.filter(scope_q(actor))
        .within(unit)
        .filter(level=Level.COMMUNE)
        .order_by("name")
    )
    ids = [c.pk for c in communes]
    rows = {c.pk: CommuneSummary(commune=c) for c in communes}
    for area in ResidentialArea.objects.filter(commune_id__in=ids).values(
        "commune_id", "households"
    ):
        row = rows[area["commune_id"]]
        row.areas += 1
        row.households += area["households"]
    failed: Counter[str] = Counter()
    catalogue_rows: dict[str, rules.Criterion] = {}
    for area_year in _years_with_detail(
        AreaYear.objects.filter(commune_id__in=ids, year=year).exclude(state=YearState.DRAFT)
    ):
        row = rows[area_year.commune_id]
        row.registered += 1
        row.households_registered += area_year.households_registered
        if area_year.state == YearState.RECOGNISED:
            row.recognised += 1
        elif area_year.state == YearState.NOT_RECOGNISED:
            row.not_recognised += 1
        criteria = area_criteria(area_year.commune, year)
        evaluation = evaluate(
            area_year,
            events=area_year.events.all(),
            answers=area_year.answers.all(),
            criteria=criteria,
        )
        for outcome in evaluation.failed:
            failed[outcome.criterion.code] += 1
            catalogue_rows[outcome.criterion.code] = outcome.criterion
    for est in (
        Establishment.objects.filter(commune_id__in=ids, active=True)
        .annotate(
            rec=Count("years", filter=Q(years__year=year, years__recognised=True)),
        )
        .values("commune_id", "rec")
    ):
        row = rows[est["commune_id"]]
        row.establishments += 1
        row.establishments_recognised += 1 if est["rec"] else 0
    models_by_field: Counter[str] = Counter()
    for model in SelfManagementModel.objects.filter(
        commune_id__in=ids, status=ModelStatus.ACTIVE
    ).values("commune_id", "field"):
        rows[model["commune_id"]].models += 1
        models_by_field[model["field"]] += 1
    for cy in CommuneYear.objects.filter(commune_id__in=ids, year=year):
        rows[cy.commune_id].commune_state = cy.get_state_display()
    by_year = [
        (y["year"], y["registered"], y["recognised"])
        for y in AreaYear.objects.filter(commune_id__in=ids)
        .exclude(state=YearState.DRAFT)
        .values("year")
        .annotate(
            registered=Count("pk"), recognised=Count("pk", filter=Q(state=YearState.RECOGNISED))
        )
        .order_by("year")
    ]
    return Summary(
        unit=unit,
        year=year,
        communes=list(rows.values()),
        failed_by_criterion=[(catalogue_rows[code], n) for code, n in failed.most_common()],
        models_by_field=[(str(f.label), models_by_field.get(f, 0)) for f in ModelField],
        by_year=by_year,
    )


# --- Documents ----------------------------------------------------------------------------------


def certificate_context(*, area_year: AreaYear) -> dict:
    """The Giấy công nhận of a recognised area: a fully evaluated structure for the PDF."""
    from core.documents import Letterhead, Signature, place_name

    commune = area_year.commune
    province = AdministrativeUnit.objects.filter(
        path__in=commune.ancestor_paths, level=Level.PROVINCE
    ).first()
    return {
        "area_year": area_year,
        "area": area_year.area,
        "area_kind": area_year.area.get_kind_display(),
        "commune": commune,
        "province": province,
        "window": area_year.window,
        "letterhead": Letterhead(
            issuing_body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
            place=place_name(commune.name),
            date=area_year.decision_date or timezone.localdate(),
            title="GIẤY CÔNG NHẬN",
        ),
        "signatures": [
            Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", name=area_year.decision_signer)
        ],
    }
