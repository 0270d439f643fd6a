"""The home page and the unit page in both tree shapes."""

import pytest
from django.urls import reverse

from teams.models import Tree
from tests.builders import make_area, make_unit


def test_commune_page_lists_areas_with_totals(client, world):
    world.client_for(client, "canbo_xa1")
    page = client.get(reverse("unit-detail", args=[world.units["tien_kien"].pk])).content.decode()
    assert "Khu 1" in page and "Khu 2" in page
    assert "875" in page  # 350 + 525 households
    assert "Nghị quyết HĐND" in page  # the jurisdiction line


def test_old_commune_says_it_has_ended_and_where_it_went(client, world):
    world.client_for(client, "canbo_xa1")
    page = client.get(reverse("unit-detail", args=[world.units["tien_kien"].pk])).content.decode()
    assert "đã kết thúc hoạt động" in page
    assert "Xã Lâm Thao" in page  # successor, named but not linked for this officer
    assert reverse("unit-detail", args=[world.units["lam_thao_new"].pk]) not in page


def test_breadcrumb_names_the_district_without_linking_it(client, world):
    world.client_for(client, "canbo_xa1")
    page = client.get(reverse("unit-detail", args=[world.units["tien_kien"].pk])).content.decode()
    assert "Huyện Lâm Thao (cũ)" in page
    assert reverse("unit-detail", args=[world.units["lam_thao"].pk]) not in page


def test_three_tier_province_lists_districts(client, world):
    world.client_for(client, "congan_tinh")
    page = client.get(reverse("unit-detail", args=[world.units["pt"].pk])).content.decode()
    assert "Huyện Lâm Thao" in page and "Thành phố Việt Trì" in page
    assert "Quận, huyện" in page


def test_two_tier_province_lists_communes_with_their_jurisdiction(client, world):
    world.client_for(client, "admin")
    page = client.get(reverse("unit-detail", args=[world.units["ct"].pk])).content.decode()
    assert "Xã Mỹ Tú" in page
    assert "Tỉnh Sóc Trăng" in page  # jurisdiction 94
    assert "Tỉnh Hậu Giang" in page  # jurisdiction 93


@pytest.mark.parametrize("query", ["my tu", "Mỹ Tú", "MỸ", "31567"])
def test_child_search_ignores_case_and_diacritics(client, world, query):
    world.client_for(client, "admin")
    page = client.get(reverse("unit-detail", args=[world.units["ct"].pk]), {"q": query})
    content = page.content.decode()
    assert "Xã Mỹ Tú" in content
    assert "Xã Vị Thủy" not in content


def test_unit_page_query_count_does_not_grow_with_children(
    client, world, django_assert_max_num_queries
):
    world.client_for(client, "admin")
    url = reverse("unit-detail", args=[world.units["ct"].pk])
    client.get(url)
    for i in range(30):
        commune = make_unit(
            f"4{i:04d}",
            f"Xã Thử {i}",
            "xa",
            parent=world.units["ct"],
            tree=Tree.CURRENT,
            jurisdiction="92",
        )
        make_area(commune, "Ấp 1", 200)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_home_for_provincial_police_shows_both_phu_tho(client, world):
    world.client_for(client, "congan_tinh")
    page = client.get(reverse("home")).content.decode()
    assert "Tỉnh Phú Thọ (cũ)" in page
    assert page.count("Tỉnh Phú Thọ") >= 2


def test_full_name_is_in_vietnamese_order(world):
    assert world.users["canbo_xa1"].get_full_name() == "Nguyễn Văn Hùng"


def test_language_switch_to_english_and_back(client, world):
    world.client_for(client, "canbo_xa1")
    assert (
        client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"] == "vi"
    )
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home"))
    assert english.headers["Content-Language"] == "en"
    assert "Workspace" in english.content.decode()
    client.post(reverse("set-language"), {"language": "vi", "next": "/"})
    assert "Trang làm việc" in client.get(reverse("home")).content.decode()


def test_home_page_counts_agree_with_their_nouns_in_english(client, world):
    """ "9 residential area" (issue 16 §5): the English plural follows the number."""
    from teams.models import AreaKind, ResidentialArea

    commune = world.units["tien_kien"]  # Khu 1 and Khu 2
    world.client_for(client, "canbo_xa1")
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    page = " ".join(client.get(reverse("home")).content.decode().split())
    assert "<strong>2</strong> residential areas" in page
    ResidentialArea.objects.filter(commune=commune, name="Khu 2").delete()
    page = " ".join(client.get(reverse("home")).content.decode().split())
    assert "<strong>1</strong> residential area<" in page
    assert "<strong>350</strong> households" in page
    ResidentialArea.objects.create(commune=commune, name="Khu 9", kind=AreaKind.KHU, households=1)
    page = " ".join(client.get(reverse("home")).content.decode().split())
    assert "<strong>351</strong> households" in page
