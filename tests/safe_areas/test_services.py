"""The yearly cycle of a residential area and of a commune, and every bad input of issue 14:
each refused with a Vietnamese message, nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.forms import error_messages
from safe_areas import selectors, services
from safe_areas.models import (
    AreaEvent,
    AreaYear,
    CommuneYear,
    EstablishmentKind,
    ModelField,
    YearState,
)
from tests.builders import make_area
from tests.safe_areas.conftest import all_met, assess_and_review, decision, register

D = datetime.date
pytestmark = pytest.mark.django_db


def messages(exc_info) -> str:
    return " ".join(error_messages(exc_info.value))


def test_registration_records_an_action_row_and_the_households(world):
    area_year = register(world, households=600)
    assert area_year.state == YearState.REGISTERED
    (action,) = area_year.actions.all()
    assert (action.from_state, action.to_state, action.actor) == (
        "draft",
        "registered",
        world.users["canbo_ct"],
    )
    page = selectors.area_year_page(area=area_year.area, year=2025)
    (failed,) = page.evaluation.failed
    assert failed.criterion.code == "KDC-1"
    assert "Còn 10/610 hộ chưa đăng ký" in failed.reasons[0]


def test_more_households_than_the_area_has_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        register(world, households=611)
    assert "Số hộ đăng ký (611) nhiều hơn số hộ của Ấp Mỹ Phú (610)" in messages(exc)
    assert not AreaYear.objects.exists()


def test_a_second_registration_for_the_same_year_is_refused(world):
    register(world)
    with pytest.raises(ValidationError) as exc:
        register(world)
    assert "đã đăng ký năm 2025 (ngày 15/01/2025): mỗi năm chỉ đăng ký một lần" in messages(exc)
    assert AreaYear.objects.count() == 1


@pytest.mark.parametrize("day", [D(2024, 10, 31), D(2025, 11, 1)])
def test_dates_outside_the_period_are_refused(world, day):
    with pytest.raises(ValidationError) as exc:
        register(world, registered_on=day)
    assert "nằm ngoài kỳ đánh giá 01/11/2024 – 31/10/2025" in messages(exc)
    assert not AreaYear.objects.exists()


def test_an_event_fails_its_criterion_and_the_recognition_is_refused_naming_it(world, leader):
    area_year = register(world)
    services.area_event_record(
        area_year=area_year,
        criterion="KDC-3e",
        occurred_on=D(2025, 5, 3),
        description="Tranh chấp đất đai kéo dài giữa hai hộ",
        actor=world.users["canbo_ct"],
    )
    assess_and_review(world, area_year)
    with pytest.raises(ValidationError) as exc:
        services.area_year_transition(
            area_year=area_year, action="recognise", actor=leader, decision=decision()
        )
    text = messages(exc)
    assert "Không thể công nhận Ấp Mỹ Phú: chưa đạt KDC-3e" in text
    assert "Ngày 03/05/2025: Tranh chấp đất đai kéo dài giữa hai hộ" in text
    area_year.refresh_from_db()
    assert area_year.state == YearState.REVIEWED and not area_year.decision_number
    # not recognising it is possible, with the reason
    services.area_year_transition(
        area_year=area_year, action="not_recognise", actor=leader, decision=decision(),
        comment="Có vụ tranh chấp kéo dài",
    )  # fmt: skip
    assert area_year.state == YearState.NOT_RECOGNISED


def test_event_dates_outside_the_period_are_refused(world):
    area_year = register(world)
    for day in (D(2024, 10, 31), D(2025, 11, 1)):
        with pytest.raises(ValidationError) as exc:
            services.area_event_record(
                area_year=area_year, criterion="KDC-3a", occurred_on=day,
                description="x", actor=world.users["canbo_ct"],
            )  # fmt: skip
        assert "ngoài kỳ đánh giá" in messages(exc)
    assert not AreaEvent.objects.exists()


def test_a_decision_before_the_self_assessment_is_refused(world, leader):
    area_year = register(world)
    with pytest.raises(ValidationError) as exc:
        services.area_year_transition(
            area_year=area_year, action="recognise", actor=leader, decision=decision()
        )
    assert "Chưa có bản tự đánh giá" in messages(exc)
    area_year.refresh_from_db()
    assert area_year.state == YearState.REGISTERED and area_year.actions.count() == 1


def test_a_decision_dated_before_the_dossier_was_sent_is_refused(world, leader):
    area_year = assess_and_review(world, register(world))
    with pytest.raises(ValidationError) as exc:
        services.area_year_transition(
            area_year=area_year, action="recognise", actor=leader,
            decision=decision(date=D(2025, 10, 1)),
        )  # fmt: skip
    assert "trước ngày gửi hồ sơ tự đánh giá" in messages(exc)


def test_the_whole_year_and_then_it_is_read_only(world, leader):
    area_year = assess_and_review(world, register(world))
    officer = world.users["canbo_ct"]
    with pytest.raises(PermissionDenied):  # the police officer does not decide
        services.area_year_transition(
            area_year=area_year, action="recognise", actor=officer, decision=decision()
        )
    services.area_year_transition(
        area_year=area_year, action="recognise", actor=leader, decision=decision()
    )
    area_year.refresh_from_db()
    assert area_year.state == YearState.RECOGNISED
    assert area_year.decision_number == "45/QĐ-UBND"
    assert [a.to_state for a in area_year.actions.all()] == [
        "registered",
        "assessed",
        "reviewed",
        "recognised",
    ]
    with pytest.raises(ValidationError) as exc:
        services.area_event_record(
            area_year=area_year, criterion="KDC-3a", occurred_on=D(2025, 3, 1),
            description="x", actor=officer,
        )  # fmt: skip
    assert "đã có quyết định" in messages(exc)
    with pytest.raises(ValidationError):
        services.area_assess(area_year=area_year, answers=all_met(area_year), actor=officer)


def test_self_assessment_waits_for_the_end_of_the_period(world, monkeypatch):
    area_year = register(world)
    monkeypatch.setattr(services, "_today", lambda: D(2025, 10, 31))
    with pytest.raises(ValidationError) as exc:
        services.area_assess(
            area_year=area_year, answers=all_met(area_year), actor=world.users["canbo_ct"]
        )
    assert "kết thúc ngày 31/10/2025" in messages(exc)


def test_self_assessment_needs_every_criterion(world):
    area_year = register(world)
    answers = all_met(area_year)
    answers.pop("KDC-2")
    with pytest.raises(ValidationError) as exc:
        services.area_assess(area_year=area_year, answers=answers, actor=world.users["canbo_ct"])
    assert "Chưa đánh giá tiêu chí: KDC-2" in messages(exc)
    assert not area_year.answers.exists()


def test_another_communes_leader_cannot_decide(world):
    from teams.models import Role
    from tests.builders import make_user

    other = make_user("lanhdao_vt", (Role.COMMUNE_LEADER, world.units["vi_thuy"]))
    area_year = assess_and_review(world, register(world))
    with pytest.raises(PermissionDenied):
        services.area_year_transition(
            area_year=area_year, action="recognise", actor=other, decision=decision()
        )


# --- agencies, enterprises, schools; the share --------------------------------------------------


def test_the_commune_share_is_computed_from_the_data(world, leader):
    commune = world.units["my_tu"]
    for i in range(2, 4):
        make_area(commune, f"Ấp {i}", 100)
    areas = list(commune.residential_areas.order_by("pk"))
    school = services.establishment_save(
        commune=commune, name="Trường THCS Mỹ Tú", kind=EstablishmentKind.SCHOOL, address="Ấp 2"
    )
    # 3 areas + 1 school; nothing registered
    share = selectors.share_for(commune=commune, year=2025)
    assert (share.total, share.registered, share.recognised) == (4, 0, 0) and not share.met
    for area in areas:
        assess_and_review(world, register(world, area=area))
    services.area_year_transition(
        area_year=AreaYear.objects.get(area=areas[0]), action="recognise", actor=leader,
        decision=decision(),
    )  # fmt: skip
    share = selectors.share_for(commune=commune, year=2025)
    assert (share.total, share.registered, share.recognised) == (4, 3, 1)
    assert share.reasons[0] == "Mới 3/4 đơn vị đăng ký (75 %); cần 100 %."
    year = services.establishment_year_register(
        establishment=school, year=2025, registered_on=D(2025, 2, 1)
    )
    services.establishment_year_decide(
        establishment_year=year, recognised=True, decision=decision()
    )
    for area in areas[1:]:
        services.area_year_transition(
            area_year=AreaYear.objects.get(area=area), action="recognise", actor=leader,
            decision=decision(),
        )  # fmt: skip
    assert selectors.share_for(commune=commune, year=2025).met


def test_a_second_establishment_registration_is_refused(world):
    school = services.establishment_save(
        commune=world.units["my_tu"], name="Trường Tiểu học", kind="school", address=""
    )
    services.establishment_year_register(
        establishment=school, year=2025, registered_on=D(2025, 2, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.establishment_year_register(
            establishment=school, year=2025, registered_on=D(2025, 2, 2)
        )
    assert "mỗi năm chỉ đăng ký một lần" in messages(exc)
    # the window of agencies is 16/11 – 15/11
    with pytest.raises(ValidationError) as exc:
        services.establishment_year_register(
            establishment=school, year=2026, registered_on=D(2025, 11, 15)
        )
    assert "16/11/2025 – 15/11/2026" in messages(exc)


# --- models -------------------------------------------------------------------------------------


def test_a_model_with_more_signed_households_than_the_area_is_refused(world):
    area = world.areas["my_tu_1"]
    data = services.ModelData(
        name="Tổ tự quản ANTT", field=ModelField.SECURITY, started_on=D(2025, 1, 1),
        households_signed=611,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.model_save(area=area, data=data, actor=world.users["canbo_ct"])
    assert "Số hộ ký cam kết (611) nhiều hơn số hộ của Ấp Mỹ Phú (610)" in messages(exc)


# --- the commune's year --------------------------------------------------------------------------


def _commune_registration(**kw):
    values = dict(
        party_resolution_number="12-NQ/ĐU",
        party_resolution_date=D(2025, 1, 6),
        plan_number="20/KH-UBND",
        plan_date=D(2025, 1, 10),
        registered_on=D(2025, 1, 20),
    )
    values.update(kw)
    return services.CommuneRegistrationData(**values)


def test_the_commune_year_and_its_deciding_unit(world, leader):
    commune = world.units["my_tu"]
    officer = world.users["canbo_ct"]
    commune_year = services.commune_year_register(
        commune=commune, year=2025, data=_commune_registration(), actor=officer
    )
    # two-tier tree: no district, so the province (city) decides
    assert commune_year.deciding_unit == world.units["ct"]
    with pytest.raises(ValidationError) as exc:
        services.commune_year_register(
            commune=commune, year=2025, data=_commune_registration(), actor=officer
        )
    assert "mỗi năm chỉ đăng ký một lần" in messages(exc)
    services.commune_year_assess(
        commune_year=commune_year, disciplined_officers=0, criteria_met=True, evidence="",
        actor=officer,
    )  # fmt: skip
    police = world.users["congan_tinh"]  # Phú Thọ's police: not this city
    with pytest.raises(PermissionDenied):
        services.commune_year_transition(
            commune_year=commune_year, action="recognise", actor=police, decision=decision()
        )
    from teams.models import Role
    from tests.builders import make_user

    city_police = make_user("congan_ct_test", (Role.PROVINCIAL_POLICE, world.units["ct"]))
    with pytest.raises(ValidationError) as exc:
        services.commune_year_transition(
            commune_year=commune_year, action="recognise", actor=city_police, decision=decision()
        )
    text = messages(exc)
    assert "XA-1" in text and "mô hình tự quản" in text  # no effective model yet
    assert "XA-4" in text and "Mới 0/1 đơn vị đăng ký" in text
    commune_year.refresh_from_db()
    assert commune_year.state == YearState.ASSESSED
    # the model and the area
    model = services.model_save(
        area=world.areas["my_tu_1"],
        data=services.ModelData(
            name="Camera an ninh", field=ModelField.SECURITY, started_on=D(2024, 6, 1),
            households_signed=500,
        ),
        actor=officer,
    )  # fmt: skip
    services.model_recognise(model=model, number="07/QĐ-TTĐ", on=D(2024, 9, 1))
    area_year = assess_and_review(world, register(world))
    services.area_year_transition(
        area_year=area_year, action="recognise", actor=leader, decision=decision()
    )
    services.commune_year_transition(
        commune_year=commune_year, action="recognise", actor=city_police, decision=decision()
    )
    assert CommuneYear.objects.get().state == YearState.RECOGNISED


def test_old_tree_communes_are_decided_by_their_district(world):
    commune_year = services.commune_year_register(
        commune=world.units["tien_kien"],
        year=2025,
        data=_commune_registration(),
        actor=world.users["canbo_xa1"],
    )
    assert commune_year.deciding_unit == world.units["lam_thao"]


def test_a_disciplined_officer_fails_criterion_three(world):
    commune = world.units["my_tu"]
    officer = world.users["canbo_ct"]
    commune_year = services.commune_year_register(
        commune=commune, year=2025, data=_commune_registration(), actor=officer
    )
    services.commune_year_assess(
        commune_year=commune_year, disciplined_officers=1, criteria_met=True, evidence="",
        actor=officer,
    )  # fmt: skip
    evaluation = selectors.commune_evaluation(commune=commune, year=2025, commune_year=commune_year)
    failed = {o.criterion.code: o.reasons for o in evaluation.failed}
    assert failed["XA-3"] == ("1 cán bộ, chiến sĩ Công an xã bị xử lý kỷ luật trong kỳ.",)
