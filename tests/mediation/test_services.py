"""Mediation services: what they accept, what they refuse (nothing changed), indicators from
data at their boundaries, and the remuneration list's workflow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mediation import selectors, services
from mediation.models import (
    Consolidation,
    MediationCase,
    MediationPlan,
    Mediator,
    Outcome,
    PayState,
)
from rules.models import Parameter
from teams.models import Person, Role
from tests.builders import add_member, make_user, person_data
from tests.mediation.helpers import add_mediator, make_team, record_case, standard_team

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def justice(world):
    return make_user("tuphap_mytu", (Role.JUSTICE_OFFICER, world.units["my_tu"]))


@pytest.fixture
def team(world, justice):
    team, mediators = standard_team(world.units["my_tu"], world.areas["my_tu_1"], justice)
    team.m = mediators
    return team


def test_an_antt_member_can_be_a_mediator_too(world, justice, db_params):
    antt = add_member(
        __import__("tests.builders", fromlist=["make_team"]).make_team(
            world.units["my_tu"], "Tổ ANTT ấp Mỹ Phú", world.areas["my_tu_1"]
        ),
        world.users["canbo_ct"],
        person=person_data(full_name="Thạch Văn Sol", province="094"),
        role="to_vien",
    )
    team = make_team(world.units["my_tu"], world.areas["my_tu_1"], actor=justice)
    mediator = add_mediator(team, justice, person=person_data(cccd=antt.person.cccd))
    assert mediator.person_id == antt.person_id
    assert Person.objects.filter(cccd=antt.person.cccd).count() == 1
    [row] = selectors.team_mediators(team=team)
    assert row.antt.team.name == "Tổ ANTT ấp Mỹ Phú"


def test_the_same_person_twice_in_one_team_is_refused(team, justice):
    person = team.m[0].person
    before = Mediator.objects.count()
    with pytest.raises(ValidationError) as exc:
        add_mediator(team, justice, person=person_data(cccd=person.cccd))
    assert "đã là hòa giải viên" in str(exc.value)
    assert Mediator.objects.count() == before


def test_a_late_recognition_is_flagged(world, justice):
    team = make_team(world.units["my_tu"], world.areas["my_tu_1"], actor=justice)
    # list received Friday 3 Oct 2025; the 5th working day is Friday 10 Oct
    add_mediator(team, justice, name="Đúng Hạn", received=D(2025, 10, 3), decided=D(2025, 10, 10))
    add_mediator(team, justice, name="Trễ Hạn", received=D(2025, 10, 3), decided=D(2025, 10, 13))
    flags = {m.person.full_name: m.late for m in selectors.team_mediators(team=team)}
    assert flags == {"Đúng Hạn": False, "Trễ Hạn": True}


def test_leader_election(team, justice):
    bad = services.ElectionData(mediator=team.m[0], held_on=D(2025, 8, 1), votes=1)
    with pytest.raises(ValidationError, match="quá 50 %"):
        services.leader_elect(team=team, data=bad, actor=justice)
    too_many = services.ElectionData(mediator=team.m[0], held_on=D(2025, 8, 1), votes=4)
    with pytest.raises(ValidationError, match="nhiều hơn"):
        services.leader_elect(team=team, data=too_many, actor=justice)
    assert not team.elections.exists()
    ok = services.ElectionData(mediator=team.m[0], held_on=D(2025, 8, 1), votes=2,
                               is_party_secretary=True)  # fmt: skip
    services.leader_elect(team=team, data=ok, actor=justice)
    [row] = selectors.team_rows(commune=team.commune, year=2026)
    assert row.leader_name == "Thạch Văn Sơn" and row.leader_secretary is True


def test_a_team_below_the_composition_rule_is_flagged(world, justice):
    team = make_team(world.units["my_tu"], world.areas["my_tu_1"], actor=justice)
    add_mediator(team, justice, name="Một Người")
    [row] = selectors.team_rows(commune=team.commune, year=2026)
    assert len(row.problems) == 2 and "Điều 12 khoản 1" in row.problems[0]


def test_a_case_closed_before_it_was_received_is_refused(team, justice):
    with pytest.raises(ValidationError) as exc:
        record_case(team, justice, team.m, received=D(2026, 3, 10), outcome=Outcome.SUCCESS,
                    closed=D(2026, 3, 9))  # fmt: skip
    assert "không được trước ngày tiếp nhận" in str(exc.value)
    assert not MediationCase.objects.exists()


def test_an_outcome_on_an_out_of_scope_case_is_refused(team, justice):
    with pytest.raises(ValidationError, match="Điều 3"):
        record_case(team, justice, team.m, outcome=Outcome.FAILURE, closed=D(2026, 3, 5),
                    out_of_scope=True, out_of_scope_reason="Hành vi phạm tội")  # fmt: skip
    assert not MediationCase.objects.exists()


def test_case_numbers_follow_the_book_and_a_replaced_mediator_is_kept(team, justice):
    first = record_case(team, justice, team.m[:2])
    second = record_case(team, justice, team.m[1:])
    assert (first.number, second.number) == (1, 2)
    services.mediator_replace(case=first, mediator=team.m[0], reason="Là em ruột của một bên",
                              actor=justice)  # fmt: skip
    assignment = first.assignments.get(mediator=team.m[0])
    assert assignment.replaced and "em ruột" in assignment.replaced_reason


def _plan(unit):
    return MediationPlan.objects.create(
        unit=unit, number="127/KH-UBND", signed_on=D(2021, 11, 16), title="Kế hoạch",
        issuer="UBND huyện Mỹ Tú", first_year=2021, last_year=2030,
        consolidated_target=95, consolidated_strict=True, success_target=85,
        success_strict=False, secretary_target=100,
    )  # fmt: skip


def test_success_rate_from_the_case_book_at_85_percent(team, justice, world):
    _plan(world.units["my_tu"])
    for _i in range(17):
        record_case(team, justice, team.m, received=D(2026, 2, 1), outcome=Outcome.SUCCESS,
                    closed=D(2026, 2, 10))  # fmt: skip
    for _i in range(3):
        record_case(team, justice, team.m, received=D(2026, 2, 1), outcome=Outcome.FAILURE,
                    closed=D(2026, 2, 10))  # fmt: skip
    record_case(team, justice, team.m, received=D(2026, 2, 1))  # open: not counted
    ind = selectors.indicators(unit=world.units["ct"], window=selectors.year_window(2026))
    assert (ind.success.numerator, ind.success.denominator) == (17, 20)
    assert ind.success.met is True and ind.open_cases == 1
    record_case(
        team,
        justice,
        team.m,
        received=D(2026, 2, 1),
        outcome=Outcome.FAILURE,
        closed=D(2026, 2, 10),
    )  # 17/21 = 81 %
    ind = selectors.indicators(unit=world.units["my_tu"], window=selectors.year_window(2026))
    assert ind.success.met is False


def test_consolidation_counts_only_decided_reviews(team, justice, world):
    _plan(world.units["my_tu"])
    services.consolidation_save(team=team, year=2026, reviewed_on=D(2026, 1, 10),
                                proposed_changes="Bổ sung 1 hòa giải viên nữ", actor=justice)  # fmt: skip
    ind = selectors.indicators(unit=world.units["my_tu"], window=selectors.year_window(2026))
    assert ind.consolidated.numerator == 0
    services.consolidation_save(team=team, year=2026, reviewed_on=D(2026, 1, 10),
                                proposed_changes="", decision_number="3/QĐ-UBND",
                                decision_date=D(2026, 1, 20), actor=justice)  # fmt: skip
    ind = selectors.indicators(unit=world.units["my_tu"], window=selectors.year_window(2026))
    assert (ind.consolidated.numerator, ind.consolidated.met) == (1, True)  # 100 % > 95 %
    assert Consolidation.objects.count() == 1


def _per_case(amount, start, jurisdiction="94"):
    Parameter.objects.create(key="mediation.per_case", jurisdiction=jurisdiction, value=str(amount),
                             unit="vnd", effective_from=start, citation="NQ thử nghiệm",
                             origin=Parameter.Origin.ADMIN)  # fmt: skip


def test_payment_list_with_a_mid_quarter_change_and_its_workflow(team, justice, world, db_params):
    _per_case(150_000, D(2024, 1, 1))
    _per_case(180_000, D(2026, 8, 15))
    record_case(team, justice, team.m, received=D(2026, 7, 1), outcome=Outcome.SUCCESS,
                closed=D(2026, 8, 14))  # fmt: skip
    record_case(team, justice, team.m, received=D(2026, 7, 1), outcome=Outcome.FAILURE,
                closed=D(2026, 8, 15))  # fmt: skip
    record_case(team, justice, team.m, received=D(2026, 7, 1))  # open: not on the list
    payment_list = services.payment_list_compute(commune=team.commune, quarter=D(2026, 7, 1),
                                                 actor=justice)  # fmt: skip
    amounts = sorted(payment_list.lines.values_list("amount", flat=True))
    assert amounts == [150_000, 180_000]
    finance = world.users["taichinh_ct"]
    with pytest.raises(ValidationError):  # not submitted yet
        services.payment_list_transition(payment_list=payment_list, action="approve", actor=finance)
    services.payment_list_transition(payment_list=payment_list, action="submit", actor=justice)
    with pytest.raises(ValidationError):
        services.payment_list_compute(commune=team.commune, quarter=D(2026, 7, 1), actor=justice)
    services.payment_list_transition(payment_list=payment_list, action="approve", actor=finance)
    services.payment_list_transition(payment_list=payment_list, action="pay", actor=justice,
                                     payment_reference="PC 12")  # fmt: skip
    assert payment_list.state == PayState.PAID
    # a case recorded late for the paid quarter goes to the next list
    record_case(team, justice, team.m, received=D(2026, 9, 1), outcome=Outcome.SUCCESS,
                closed=D(2026, 9, 20))  # fmt: skip
    later = services.payment_list_compute(commune=team.commune, quarter=D(2026, 10, 1),
                                          actor=justice)  # fmt: skip
    assert later.lines.get().closed_on == D(2026, 9, 20)


def test_a_province_without_an_amount_gets_a_named_error(team, justice, db_params):
    record_case(team, justice, team.m, received=D(2026, 7, 1), outcome=Outcome.SUCCESS,
                closed=D(2026, 8, 14))  # fmt: skip
    payment_list = services.payment_list_compute(commune=team.commune, quarter=D(2026, 7, 1),
                                                 actor=justice)  # fmt: skip
    assert "mediation.per_case" in payment_list.lines.get().error
    with pytest.raises(ValidationError, match="chưa tính được"):
        services.payment_list_transition(payment_list=payment_list, action="submit", actor=justice)


def test_remuneration_for_an_open_case_is_refused(team, justice, db_params):
    from rules.base import RuleError

    case = record_case(team, justice, team.m)
    with pytest.raises(RuleError, match="đang giải quyết"):
        services.case_remuneration(case=case)


def test_accident_documents_are_checked_by_content(team, justice, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    accident = services.accident_save(
        data=services.AccidentData(mediator=team.m[0], occurred_on=D(2026, 5, 2), kind="injury",
                                   description="Bị đánh khi hòa giải", treatment_costs=3_000_000),
        actor=justice,
    )  # fmt: skip
    fake = SimpleUploadedFile("giay-ra-vien.pdf", b"<svg onload=alert(1)>", "application/pdf")
    with pytest.raises(ValidationError, match="SVG"):
        services.accident_document_add(accident=accident, title="Giấy ra viện", file=fake,
                                       actor=justice)  # fmt: skip
    exe = SimpleUploadedFile("anh.png", b"MZ\x90\x00" * 10, "image/png")
    with pytest.raises(ValidationError, match="không phải"):
        services.accident_document_add(accident=accident, title="Ảnh", file=exe, actor=justice)
    broken = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png")
    with pytest.raises(ValidationError, match="hỏng"):
        services.accident_document_add(accident=accident, title="Ảnh", file=broken, actor=justice)
    assert not accident.documents.exists()
    pdf = SimpleUploadedFile("giay-ra-vien.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.accident_document_add(accident=accident, title="Giấy ra viện", file=pdf, actor=justice)
    assert accident.documents.count() == 1


def test_the_yearly_report_goes_to_the_department_of_justice(team, justice, world):
    _plan(world.units["my_tu"])
    report = services.report_get(unit=world.units["my_tu"], year=2026)
    services.report_transition(report=report, action="send", actor=justice, on=D(2026, 11, 14))
    report.refresh_from_db()
    assert report.recipient == "Sở Tư pháp Thành phố Cần Thơ"
    assert report.due_on == D(2026, 11, 14) and not report.late
    assert report.contents["indicators"][0]["target"] == "trên 95 %"


def test_a_report_sent_on_15_november_is_late(team, justice, world):
    _plan(world.units["my_tu"])
    report = services.report_get(unit=world.units["my_tu"], year=2026)
    services.report_transition(report=report, action="send", actor=justice, on=D(2026, 11, 15))
    assert report.late


def test_before_july_2025_the_district_justice_office_receives(world):
    assert selectors.recipient(world.units["tien_kien"], D(2024, 11, 1)) == (
        "Phòng Tư pháp Huyện Lâm Thao"
    )


def test_payment_sheet_marks_each_line_on_an_unverified_value(team, justice, world, db_params):
    """Issue 12 item 7: like the allowance lists, each remuneration line computed with a value
    not from the legal text carries (*), and the values are listed under the table."""
    _per_case(150_000, D(2024, 1, 1))
    _per_case(180_000, D(2026, 8, 15))
    Parameter.objects.filter(key="mediation.per_case", value="180000").update(source="press")
    # The national ceiling ships as a software default (unverified): taken as read here.
    Parameter.objects.filter(key="mediation.case_ceiling").update(source="resolution")
    for closed in (D(2026, 8, 14), D(2026, 8, 15)):
        record_case(team, justice, team.m, received=D(2026, 7, 1), outcome=Outcome.SUCCESS,
                    closed=closed)  # fmt: skip
    payment_list = services.payment_list_compute(commune=team.commune, quarter=D(2026, 7, 1),
                                                 actor=justice)  # fmt: skip
    sheet = selectors.payment_sheet(payment_list=payment_list)
    marks = {line.amount: line.unverified for line in sheet["lines"]}
    assert marks == {150_000: False, 180_000: True}
    (value,) = sheet["unverified_values"]
    assert "180.000 đ" in value and "báo chí" in value
    from core.documents import render_html

    html = render_html("pdf/mediation/payment_list.html", {"sheet": sheet, "letterhead": None,
                       "payment_list": payment_list, "signatures": []})  # fmt: skip
    assert html.count('class="unverified-mark"') == 1 and "trước khi chi: «" in html
