"""Demo data for grassroots mediation (seed_demo calls `seed_mediation` after the rosters).

Xã Mỹ Tú (new Cần Thơ, from old Sóc Trăng's Mỹ Tú district, seed 004): one mediation team per
hamlet (ấp), mediators some of whom are also on the hamlet's ANTT team (the same Person), one
team below the composition rule (two mediators, no woman), leaders mostly the Party-cell
secretary, the 2025 and 2026 case books with a success rate near the plan's 85 %, the
quarterly remuneration lists (paid up to Q3 2026; Q4 2026 waiting for finance), one accident
with its document, and the 2025 and 2026 yearly reports sent before 15/11 (2026's waiting for
the city's Department of Justice to receive it).

Figures that are not law: Sóc Trăng's per-case amount was not found (domain.md §12), so the
demo enters one as an administrator would, marked CHƯA XÁC MINH everywhere it shows. The plan
127/KH-UBND sets yearly targets without an end year; the demo keeps it in force to 2030.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from rules import cccd
from rules.models import Parameter
from teams.demo import _Counter, _person, demo_password_hash, removal
from teams.models import (
    AdministrativeUnit,
    Assignment,
    Level,
    Membership,
    Person,
    Role,
    Tree,
    User,
)

from . import services
from .models import (
    BudgetLine,
    MediationPlan,
    MediationTeam,
    Mediator,
    Outcome,
    PaymentList,
    YearlyReport,
)

D = datetime.date
DEMO_USERS = [
    # username, first, last, role, level, code, title
    (
        "tuphap_mytu",
        "Ngọc",
        "Lâm Thị",
        Role.JUSTICE_OFFICER,
        Level.COMMUNE,
        "31567",
        "Công chức Tư pháp - Hộ tịch xã Mỹ Tú",
    ),
    (
        "sotuphap_ct",
        "Khải",
        "Trương Minh",
        Role.JUSTICE_OFFICE,
        Level.PROVINCE,
        "92",
        "Chuyên viên Phòng Phổ biến, giáo dục pháp luật, Sở Tư pháp TP Cần Thơ",
    ),
]
PARTY_NAMES = ["Danh", "Thạch", "Lý", "Sơn", "Kim", "Trần", "Nguyễn", "Lâm"]
CONTENTS = {
    "land": "Tranh chấp ranh giới đất ruộng giáp ranh",
    "family": "Mâu thuẫn vợ chồng về nuôi con",
    "civil": "Tranh chấp tiền vay mượn",
    "neighbour": "Mâu thuẫn do gia súc phá hoa màu",
    "minor": "Xô xát nhỏ sau đám tiệc",
    "other": "Tranh chấp lối đi chung",
}


def _commune() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="31567")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (240, 240, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


@transaction.atomic
def seed_mediation(*, rng: random.Random) -> dict[str, int]:
    """Seed in this order (the random draws and the ids follow it): users, the per-case
    amount, the plan, the teams with their mediators, the case books, the remuneration lists,
    the accident, the yearly reports."""
    commune = _commune()
    users = _users()
    officer, office = users["tuphap_mytu"], users["sotuphap_ct"]
    finance = User.objects.get(username="taichinh_ct")
    _per_case_amount()
    plan = _plan(commune)
    crews = _teams(rng, commune=commune, officer=officer)
    teams = list(crews)
    cases = _cases(rng, crews=crews, officer=officer)
    _out_of_scope_case(team=teams[0], officer=officer)
    lists = _payment_lists(commune=commune, officer=officer, finance=finance)
    _accident(mediator=crews[teams[1]].mediators[1], officer=officer)
    _yearly_reports(commune=commune, plan=plan, officer=officer, office=office)
    return {
        "teams": len(teams),
        "mediators": sum(len(c.mediators) for c in crews.values()),
        "cases": cases,
        "shared": sum(c.shared for c in crews.values()),
        "lists": lists,
    }


def _users() -> dict[str, User]:
    users = {}
    for username, first, last, role, level, code, title in DEMO_USERS:
        user = User.objects.create(
            username=username,
            password=demo_password_hash(),  # hashed once for all demo users
            first_name=first,
            last_name=last,
            email=f"{username}@antt-demo.example",
        )
        unit = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=level, code=code)
        Assignment.objects.create(user=user, unit=unit, role=role, title=title)
        users[username] = user
    return users


def _per_case_amount() -> None:
    Parameter.objects.create(
        key="mediation.per_case",
        jurisdiction="94",
        value="150000",
        unit="vnd",
        effective_from=D(2025, 7, 1),
        origin=Parameter.Origin.ADMIN,
        source="demo",
        citation="Giá trị minh họa của dữ liệu mẫu (chưa tìm thấy nghị quyết HĐND tỉnh Sóc Trăng về mức chi thù lao hòa giải viên)",
        note="CHƯA XÁC MINH: số liệu mẫu, không phải văn bản; quản trị viên thay bằng mức của nghị quyết khi có.",
    )


def _plan(commune: AdministrativeUnit) -> MediationPlan:
    plan = MediationPlan.objects.create(
        unit=commune,
        number="127/KH-UBND",
        signed_on=D(2021, 11, 16),
        title="Triển khai Chỉ thị 05-CT/TU về tăng cường sự lãnh đạo của Đảng đối với công tác hòa giải ở cơ sở",
        issuer="UBND huyện Mỹ Tú (tỉnh Sóc Trăng cũ)",
        first_year=2021,
        last_year=2030,
        consolidated_target=95,
        consolidated_strict=True,
        success_target=85,
        success_strict=False,
        secretary_target=100,
    )
    for label, amount, year in (
        (
            "Tuyên truyền, phổ biến Chỉ thị 05-CT/TU và pháp luật về hòa giải ở cơ sở",
            46_000_000,
            None,
        ),
        ("Tập huấn nghiệp vụ, bồi dưỡng kiến thức pháp luật cho hòa giải viên", 36_000_000, None),
        ("Biên soạn, in ấn tài liệu, sổ tay nghiệp vụ hòa giải", 37_000_000, None),
        ("Tổng kết, đánh giá việc thực hiện Kế hoạch", 10_000_000, 2025),
    ):
        BudgetLine.objects.create(plan=plan, label=label, amount=amount, year=year)
    return plan


@dataclass
class _Crew:
    """A team's mediators, and how many of them are also on the hamlet's ANTT team."""

    mediators: list[Mediator]
    shared: int


def _teams(
    rng: random.Random, *, commune: AdministrativeUnit, officer: User
) -> dict[MediationTeam, _Crew]:
    """One team per hamlet (Ấp Tam Sóc, the fourth, below the composition rule), its
    mediators, its leader and its consolidation of 2025 and 2026."""
    counter = _Counter()
    crews: dict[MediationTeam, _Crew] = {}
    for index, area in enumerate(commune.residential_areas.order_by("pk")):
        team = services.team_save(
            commune=commune,
            data=services.TeamData(
                area=area,
                name=f"Tổ hòa giải {area.name}",
                decision_number=f"{210 + index}/QĐ-UBND",
                decision_date=D(2025, 7, 15),
                minority_area=True,
            ),
            actor=officer,
        )
        crew = _mediators(rng, counter, team=team, index=index, officer=officer)
        _leader(team=team, mediators=crew.mediators, index=index, officer=officer)
        _consolidations(team=team, index=index, officer=officer)
        crews[team] = crew
    return crews


def _mediators(
    rng: random.Random, counter: _Counter, *, team: MediationTeam, index: int, officer: User
) -> _Crew:
    """The first two of a hamlet's ANTT members are mediators too (not in Ấp Tam Sóc, which
    has two men only); the last mediator of every other team is a Khmer woman."""
    area, commune = team.area, team.commune
    size = 2 if index == 3 else rng.randint(4, 6)
    antt = list(
        Membership.objects.filter(team__areas=area, end_date__isnull=True)
        .select_related("person")
        .order_by("pk")[:2]
    )
    mediators = []
    shared = 0
    for k in range(size):
        received = D(2025, 7, 16)
        decided = D(2025, 7, 28) if (index == 5 and k == 0) else D(2025, 7, 21)  # one late
        if k < len(antt) and index != 3:
            person = _person(
                rng,
                counter,
                commune=commune,
                area=area,
                start=D(2025, 7, 1),
                south=True,
                khmer=False,
            )
            person.cccd = antt[k].person.cccd  # the same person as on the ANTT team
            shared += 1
        else:
            person = _person(
                rng,
                counter,
                commune=commune,
                area=area,
                start=D(2025, 7, 1),
                south=True,
                khmer=rng.random() < 0.4,
                age=rng.randint(35, 68),
            )
            if index != 3 and k == size - 1:
                person.sex, person.ethnicity = "nu", "Khmer"
                person.full_name = f"{rng.choice(PARTY_NAMES)} Thị {rng.choice(['Hoa', 'Lan', 'Mỹ', 'Sen', 'Thu'])}"
                person.cccd = cccd.make_number(
                    province_code="094",
                    sex="nu",
                    birth_year=person.birth_date.year,
                    serial=rng.randint(0, 999_999),
                )
            elif index == 3:
                person.sex = "nam"
                person.cccd = cccd.make_number(
                    province_code="094",
                    sex="nam",
                    birth_year=person.birth_date.year,
                    serial=rng.randint(0, 999_999),
                )
        mediators.append(
            services.mediator_add(
                team=team,
                data=services.MediatorData(
                    person=person,
                    list_received_on=received,
                    decision_number=f"{300 + index * 10 + k}/QĐ-UBND",
                    decision_date=decided,
                ),
                actor=officer,
            )
        )
    return _Crew(mediators, shared)


def _leader(*, team: MediationTeam, mediators: list[Mediator], index: int, officer: User) -> None:
    """The first mediator, mostly the Party-cell secretary (not in two hamlets)."""
    services.leader_elect(
        team=team,
        data=services.ElectionData(
            mediator=mediators[0],
            held_on=D(2025, 7, 25),
            votes=len(mediators) // 2 + 1,
            is_party_secretary=index not in (3, 6),
            decision_number=f"{400 + index}/QĐ-UBND",
            decision_date=D(2025, 7, 29),
        ),
        actor=officer,
    )


def _consolidations(*, team: MediationTeam, index: int, officer: User) -> None:
    """The yearly review of 2025 and 2026 (Ấp Tam Sóc's 2026 one still without a decision)."""
    for year in (2025, 2026):
        reviewed_decided = not (year == 2026 and index == 3)
        services.consolidation_save(
            team=team,
            year=year,
            reviewed_on=D(year, 10, 5) if year == 2025 else D(2026, 1, 12),
            proposed_changes="Bổ sung hòa giải viên nữ" if index == 3 else "Giữ nguyên thành phần",
            decision_number=f"{500 + index}/QĐ-UBND" if reviewed_decided else "",
            decision_date=(D(year, 10, 20) if year == 2025 else D(2026, 1, 26))
            if reviewed_decided
            else None,
            actor=officer,
        )


def _cases(rng: random.Random, *, crews: dict[MediationTeam, _Crew], officer: User) -> int:
    """The case books: 2025 from August (the new commune exists from 1 July), 2026 to today,
    the teams in turn; the count."""
    teams = list(crews)
    count_all = 0
    for year, count, success_share in ((2025, 26, 0.84), (2026, 44, 0.87)):
        for n in range(count):
            team = teams[n % len(teams)]
            last_month = 11 if year == 2026 else 12
            month = rng.randint(8 if year == 2025 else 1, last_month)
            received = D(year, month, rng.randint(1, 25))
            case_type = rng.choice(list(CONTENTS))
            open_case = year == 2026 and month == 11 and rng.random() < 0.7
            if open_case:
                outcome, closed = Outcome.OPEN, None
            else:
                outcome = Outcome.SUCCESS if rng.random() < success_share else Outcome.FAILURE
                closed = min(
                    received + datetime.timedelta(days=rng.randint(6, 20)), D(2026, 11, 30)
                )
            names = rng.sample(PARTY_NAMES, 2)
            services.case_save(
                team=team,
                data=services.CaseData(
                    received_on=received,
                    origin=rng.choice(["request", "request", "found", "assigned"]),
                    parties=f"Ông {names[0]} Văn {rng.choice(['Tư', 'Năm', 'Sáu', 'Bảy'])} – bà {names[1]} Thị {rng.choice(['Mai', 'Đào', 'Liên'])}, {team.area.name}",
                    case_type=case_type,
                    content=CONTENTS[case_type],
                    mediators=crews[team].mediators[:2],
                    assigned_on=received,
                    started_on=received + datetime.timedelta(days=rng.choice([1, 2, 3, 5])),
                    outcome=outcome,
                    agreement="Các bên thống nhất thỏa thuận, ký biên bản hòa giải thành"
                    if outcome == Outcome.SUCCESS
                    else "",
                    closed_on=closed,
                ),
                actor=officer,
            )
            count_all += 1
    return count_all


def _out_of_scope_case(*, team: MediationTeam, officer: User) -> None:
    """A fight with injuries: not for mediation, sent to the commune police."""
    services.case_save(
        team=team,
        data=services.CaseData(
            received_on=D(2026, 5, 4),
            origin="request",
            parties="Ông Danh Văn Tư, Ấp Mỹ Phú",
            case_type="minor",
            content="Đánh nhau gây thương tích",
            mediators=[],
            out_of_scope=True,
            out_of_scope_reason="Có dấu hiệu tội phạm: chuyển Công an xã",
        ),
        actor=officer,
    )


def _payment_lists(*, commune: AdministrativeUnit, officer: User, finance: User) -> int:
    """Paid from Q3 2025 to Q3 2026; Q4 2026 waiting for finance. The count of lists."""
    lists = 0
    for quarter in (
        D(2025, 7, 1),
        D(2025, 10, 1),
        D(2026, 1, 1),
        D(2026, 4, 1),
        D(2026, 7, 1),
        D(2026, 10, 1),
    ):
        payment_list = services.payment_list_compute(
            commune=commune, quarter=quarter, actor=officer
        )
        if not payment_list.lines.exists():
            payment_list.delete()
            continue
        lists += 1
        services.payment_list_transition(payment_list=payment_list, action="submit", actor=officer)
        if quarter == D(2026, 10, 1):
            continue
        services.payment_list_transition(payment_list=payment_list, action="approve", actor=finance)
        services.payment_list_transition(
            payment_list=payment_list,
            action="pay",
            actor=officer,
            payment_reference=f"PC {quarter:%m}/{quarter.year}",
            paid_on=quarter + datetime.timedelta(days=100),
        )
    return lists


def _accident(*, mediator: Mediator, officer: User) -> None:
    accident = services.accident_save(
        data=services.AccidentData(
            mediator=mediator,
            occurred_on=D(2026, 6, 12),
            kind="injury",
            description="Bị ngã xe trên đường đến nhà đương sự để hòa giải",
            treatment_costs=2_350_000,
            lost_income=900_000,
        ),
        actor=officer,
    )
    services.accident_document_add(
        accident=accident,
        title="Giấy ra viện",
        file=SimpleUploadedFile("giay-ra-vien.png", _png(), "image/png"),
        actor=officer,
    )


def _yearly_reports(
    *, commune: AdministrativeUnit, plan: MediationPlan, officer: User, office: User
) -> None:
    """2025's sent and received; 2026's sent, waiting for the city's Department of Justice."""
    for year, sent, receive in ((2025, D(2025, 11, 10), True), (2026, D(2026, 11, 12), False)):
        report = services.report_get(unit=commune, year=year)
        services.report_save(
            report=report,
            summary=(
                f"Năm {year}, các Tổ hòa giải hoạt động ổn định; còn 01 Tổ (Ấp Tam Sóc) chưa đủ "
                "hòa giải viên nữ, đề nghị Ban công tác Mặt trận giới thiệu bổ sung."
            ),
            spent={
                str(line.pk): int(line.amount * 0.9)
                for line in plan.budget_lines.all()
                if line.year in (None, year)
            },
            actor=officer,
        )
        services.report_transition(report=report, action="send", actor=officer, on=sent)
        if receive:
            services.report_transition(report=report, action="receive", actor=office)


@removal()
def remove_mediation() -> None:
    commune = AdministrativeUnit.objects.filter(
        tree=Tree.CURRENT, level=Level.COMMUNE, code="31567"
    ).first()
    if commune is not None:
        YearlyReport.objects.filter(unit__path__startswith=commune.path).delete()
        PaymentList.objects.filter(commune=commune).delete()
        for team in MediationTeam.objects.filter(commune=commune):
            for mediator in team.mediators.all():
                mediator.accidents.all().delete()
            team.cases.all().delete()
            team.elections.all().delete()
            team.mediators.all().delete()
            team.delete()
        MediationPlan.objects.filter(unit=commune).delete()
    mediators_only = Person.objects.filter(
        mediator_roles__isnull=True,
        memberships__isnull=True,
        residence_address__endswith="Xã Mỹ Tú, Cần Thơ",
    )
    ids = list(mediators_only.values_list("pk", flat=True))
    mediators_only.delete()
    # Like teams.demo.remove_demo: a reset leaves no history of the demo's people behind.
    Person.history.filter(id__in=ids).delete()
    Parameter.objects.filter(
        key="mediation.per_case", jurisdiction="94", origin=Parameter.Origin.ADMIN
    ).delete()
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).delete()
