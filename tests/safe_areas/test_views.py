"""The pages: the whole year through the views, bad input shown in Vietnamese with nothing
changed, another unit's ids answer 404, and list pages keep a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from safe_areas.models import AreaYear, Establishment, SelfManagementModel, YearState
from tests.builders import make_area, sign_in
from tests.safe_areas.conftest import all_met, register

pytestmark = pytest.mark.django_db
D = datetime.date


def login(client, user):
    sign_in(client, user)
    return client


def test_register_event_assess_review_decide_through_the_pages(client, world, leader):
    area = world.areas["my_tu_1"]
    officer = login(client, world.users["canbo_ct"])
    url = reverse("safe-area-year", args=[area.pk, 2025])
    page = officer.get(url)
    assert page.status_code == 200 and "Ghi đăng ký" in page.content.decode()
    response = officer.post(
        url,
        {
            "resolution_number": "03-NQ/CB",
            "resolution_date": "08/01/2025",
            "registered_on": "15/01/2025",
            "households_registered": "600",
        },
    )
    assert response.status_code == 302
    area_year = AreaYear.objects.get()
    text = officer.get(url).content.decode()
    assert "Còn 10 hộ chưa đăng ký" in text and "KDC-1" in text
    response = officer.post(
        reverse("safe-area-event", args=[area_year.pk]),
        {"criterion": "KDC-3e", "occurred_on": "03/05/2025", "description": "Tranh chấp đất"},
    )
    assert response.status_code == 302
    answers = {}
    criteria = list(all_met(area_year))
    for i, _code in enumerate(criteria):
        answers[f"c{i}_met"] = "1"
        answers[f"c{i}_note"] = "Biên bản"
    response = officer.post(
        reverse("safe-area-assess", args=[area_year.pk]), {**answers, "seen_state": "registered"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.post(
        reverse("safe-area-transition", args=[area_year.pk]),
        {"action": "review", "seen_state": "assessed"},
    )
    area_year.refresh_from_db()
    assert area_year.state == YearState.REVIEWED
    # the leader cannot recognise: the page names the failed criteria
    login(client, leader)
    response = client.post(
        reverse("safe-area-transition", args=[area_year.pk]),
        {
            "action": "recognise",
            "seen_state": "reviewed",
            "decision_number": "45/QĐ-UBND",
            "decision_date": datetime.date.today().strftime("%d/%m/%Y"),
            "decision_signer": "Nguyễn Văn Bình",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Không thể công nhận Ấp Mỹ Phú: chưa đạt KDC-1" in text and "KDC-3e" in text
    area_year.refresh_from_db()
    assert area_year.state == YearState.REVIEWED
    # the certificate exists only once recognised
    assert client.get(reverse("safe-area-certificate", args=[area_year.pk])).status_code == 404


def test_a_registration_with_too_many_households_shows_the_message(client, world):
    area = world.areas["my_tu_1"]
    officer = login(client, world.users["canbo_ct"])
    response = officer.post(
        reverse("safe-area-year", args=[area.pk, 2025]),
        {
            "resolution_number": "03-NQ/CB",
            "resolution_date": "08/01/2025",
            "registered_on": "15/01/2025",
            "households_registered": "700",
        },
    )
    assert response.status_code == 200
    assert "Số hộ đăng ký (700) nhiều hơn số hộ của Ấp Mỹ Phú (610)" in response.content.decode()
    assert not AreaYear.objects.exists()


def test_a_date_typed_wrong_is_a_message_not_a_500(client, world):
    officer = login(client, world.users["canbo_ct"])
    response = officer.post(
        reverse("safe-area-year", args=[world.areas["my_tu_1"].pk, 2025]),
        {"resolution_number": "x", "resolution_date": "32/13/2025", "registered_on": "",
         "households_registered": "-1"},
    )  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200 and "Nhập ngày theo dạng ngày/tháng/năm" in text
    assert not AreaYear.objects.exists()


def test_a_year_outside_the_plan_is_not_found(client, world):
    officer = login(client, world.users["canbo_ct"])
    url = reverse("safe-area-year", args=[world.areas["my_tu_1"].pk, 1999])
    assert officer.get(url).status_code == 404


@pytest.mark.parametrize("username", ["canbo_xa1", "taichinh_ct", "congan_tinh", "no_role"])
def test_wrong_persona_gets_404_on_every_page(client, world, username):
    """Mỹ Tú's objects seen by people of other units (the audit does it for every URL too)."""
    area = world.areas["my_tu_1"]
    area_year = register(world)
    est = Establishment.objects.create(commune=area.commune, name="Trường A", kind="school")
    model = SelfManagementModel.objects.create(
        area=area, commune=area.commune, name="Mô hình", field="security",
        started_on=D(2025, 1, 1), households_signed=1, created_by=world.users["canbo_ct"],
    )  # fmt: skip
    login(client, world.users[username])
    if username == "taichinh_ct":  # finance of Mỹ Tú sees Mỹ Tú: a persona of another unit
        login(client, world.users["canbo_xa1"])
    for url in (
        reverse("safe-areas", args=[area.commune.pk]),
        reverse("safe-area-year", args=[area.pk, 2025]),
        reverse("safe-area-certificate", args=[area_year.pk]),
        reverse("safe-establishment", args=[est.pk]),
        reverse("safe-models", args=[area.pk]),
        reverse("safe-model", args=[model.pk]),
        reverse("safe-commune-year", args=[area.commune.pk, 2025]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("safe-area-event", args=[area_year.pk]),
        reverse("safe-area-assess", args=[area_year.pk]),
        reverse("safe-area-transition", args=[area_year.pk]),
    ):
        assert client.post(url, {"action": "review"}).status_code == 404, url
    area_year.refresh_from_db()
    assert area_year.state == YearState.REGISTERED and not area_year.events.exists()


def test_read_only_roles_see_but_cannot_register(client, world):
    login(client, world.users["taichinh_ct"])
    url = reverse("safe-area-year", args=[world.areas["my_tu_1"].pk, 2025])
    assert client.get(url).status_code == 200
    assert client.post(url, {"resolution_number": "x"}).status_code == 403
    assert not AreaYear.objects.exists()


def test_the_commune_page_says_how_to_register_to_who_may(client, world):
    """Each unregistered area offers «Đăng ký» (to its registration form) to the commune
    officer, with a line saying how many are left; a reader sees «Chưa đăng ký» only."""
    area = world.areas["my_tu_1"]
    commune = area.commune
    url = reverse("safe-areas", args=[commune.pk]) + "?nam=2025"
    form = reverse("safe-area-year", args=[area.pk, 2025]) + "#dang-ky"
    officer = login(client, world.users["canbo_ct"]).get(url).content.decode()
    left = commune.residential_areas.count()
    assert f'href="{form}"' in officer
    assert f"{left} khu dân cư chưa đăng ký năm 2025" in officer
    reader = login(client, world.users["taichinh_ct"]).get(url).content.decode()
    assert f'href="{form}"' not in reader and "chưa đăng ký năm 2025" not in reader


def test_the_commune_overview_keeps_its_query_count(client, world, django_assert_max_num_queries):
    commune = world.units["my_tu"]
    officer = login(client, world.users["canbo_ct"])
    url = reverse("safe-areas", args=[commune.pk]) + "?nam=2025"
    register(world)
    Establishment.objects.create(commune=commune, name="Trường", kind="school")
    officer.get(url)  # warm the caches (session, user)
    with django_assert_max_num_queries(20) as small:
        assert officer.get(url).status_code == 200
    for i in range(15):
        area = make_area(commune, f"Ấp mới {i}", 50)
        register(world, area=area, households=40)
        Establishment.objects.create(commune=commune, name=f"Cơ quan {i}", kind="agency")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = officer.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Ấp mới") >= 15


def test_summary_pages_documents_and_spreadsheet(client, world, leader, tmp_path):
    import io

    from openpyxl import load_workbook

    from safe_areas import services
    from tests.safe_areas.conftest import assess_and_review, decision

    area_year = assess_and_review(world, register(world))
    services.area_year_transition(
        area_year=area_year, action="recognise", actor=leader, decision=decision()
    )
    login(client, world.users["canbo_ct"])
    commune = world.units["my_tu"]
    page = client.get(reverse("safe-summary", args=[commune.pk]) + "?nam=2025")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    for name in ("safe-summary-pdf", "safe-commune-report"):
        response = client.get(reverse(name, args=[commune.pk]) + "?nam=2025")
        assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"
    cert = client.get(reverse("safe-area-certificate", args=[area_year.pk]))
    assert cert.status_code == 200 and cert.content[:4] == b"%PDF"
    (tmp_path / "giay.pdf").write_bytes(cert.content)
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("safe-summary-xlsx", args=[commune.pk]) + "?nam=2025").content
        )
    )
    rows = list(book.active.iter_rows(values_only=True))
    commune_row = next(r for r in rows if r[1] == "Xã Mỹ Tú")
    assert commune_row[2:5] == (1, 1, 1)
    # the city's police see the city's communes
    from teams.models import Role
    from tests.builders import make_user

    police = make_user("congan_ct_view", (Role.PROVINCIAL_POLICE, world.units["ct"]))
    login(client, police)
    text = client.get(reverse("safe-summary", args=[world.units["ct"].pk])).content.decode()
    assert "Xã Mỹ Tú" in text and "Xã Vị Thủy" in text


def test_the_summary_keeps_its_query_count(client, world, django_assert_max_num_queries):
    commune = world.units["my_tu"]
    city = world.units["ct"]
    register(world)
    sign_in(client, world.users["admin"])
    url = reverse("safe-summary", args=[city.pk]) + "?nam=2025"
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(10):
        register(world, area=make_area(commune, f"Ấp {i}", 50), households=50)
        Establishment.objects.create(commune=commune, name=f"Trường {i}", kind="school")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_establishment_and_model_pages_refuse_bad_input(client, world):
    commune = world.units["my_tu"]
    area = world.areas["my_tu_1"]
    login(client, world.users["canbo_ct"])
    response = client.post(
        reverse("safe-establishment-add", args=[commune.pk]), {"name": "", "kind": "agency"},
        follow=True,
    )  # fmt: skip
    assert "Tên: " in response.content.decode() and not Establishment.objects.exists()
    client.post(
        reverse("safe-establishment-add", args=[commune.pk]),
        {"name": "Trường THCS", "kind": "school"},
    )
    est = Establishment.objects.get()
    url = reverse("safe-establishment", args=[est.pk]) + "?nam=2025"
    assert client.post(url, {"step": "register", "registered_on": "01/02/2025"}).status_code == 302
    response = client.post(url, {"step": "register", "registered_on": "02/02/2025"})
    assert "mỗi năm chỉ đăng ký một lần" in response.content.decode()
    assert est.years.count() == 1
    # the commune officer does not decide for the People's Committee
    response = client.post(
        url,
        {"step": "decide", "recognised": "1", "decision_number": "1", "decision_date": "01/12/2025",
         "decision_signer": "A"},
    )  # fmt: skip
    assert response.status_code == 403
    response = client.post(
        reverse("safe-models", args=[area.pk]),
        {"name": "Mô hình", "field": "security", "started_on": "01/01/2025",
         "households_signed": "611", "status": "active"},
    )  # fmt: skip
    assert "Số hộ ký cam kết (611) nhiều hơn số hộ của Ấp Mỹ Phú (610)" in response.content.decode()
    assert not SelfManagementModel.objects.exists()


def test_a_second_registration_through_the_page_shows_why(client, world):
    area = world.areas["my_tu_1"]
    register(world)
    login(client, world.users["canbo_ct"])
    response = client.post(
        reverse("safe-area-year", args=[area.pk, 2025]),
        {"resolution_number": "9", "resolution_date": "08/01/2025", "registered_on": "15/01/2025",
         "households_registered": "610"},
    )  # fmt: skip
    assert "mỗi năm chỉ đăng ký một lần" in response.content.decode()
    assert AreaYear.objects.get().resolution_number == "03-NQ/CB"
