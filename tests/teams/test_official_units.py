"""The official trees, loaded once for this module from the vietnam-provinces package."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from teams.models import AdministrativeUnit, Level, Tree
from teams.official_units import units_import


@pytest.fixture(scope="module")
def official_units(django_db_setup, django_db_blocker):
    # In one transaction rolled back at the end of the module (each test's own nests inside
    # it): rolling back is instant, where deleting 14,000 units took seconds.
    with django_db_blocker.unblock(), transaction.atomic():
        summary = units_import()
        # PostgreSQL checks the deferred foreign keys of the 14,000 units here, once; each
        # test's teardown (in its savepoint, whose rollback makes them pending again) would
        # check them all again otherwise (~0.35 s a test).
        connection.check_constraints()
        yield summary
        transaction.set_rollback(True)


def count(tree, level):
    return AdministrativeUnit.objects.filter(tree=tree, level=level).count()


def test_new_tree_has_34_provinces_and_3321_communes(official_units, db):
    assert count(Tree.CURRENT, Level.PROVINCE) == 34
    assert count(Tree.CURRENT, Level.COMMUNE) == 3321
    assert count(Tree.CURRENT, Level.DISTRICT) == 0
    assert not AdministrativeUnit.objects.filter(
        tree=Tree.CURRENT, valid_from__isnull=True
    ).exists()


def test_old_tree_has_63_provinces_with_districts_until_june_2025(official_units, db):
    assert count(Tree.LEGACY, Level.PROVINCE) == 63
    assert count(Tree.LEGACY, Level.DISTRICT) > 600
    assert count(Tree.LEGACY, Level.COMMUNE) > 10_000
    assert set(
        AdministrativeUnit.objects.filter(tree=Tree.LEGACY).values_list("valid_to", flat=True)
    ) == {__import__("datetime").date(2025, 6, 30)}


def test_new_can_tho_commune_from_soc_trang_has_jurisdiction_94(official_units, db):
    my_tu = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="31567")
    assert my_tu.parent.code == "92"
    assert my_tu.jurisdiction == "94"
    assert my_tu.jurisdiction_name == "Tỉnh Sóc Trăng"
    old = set(my_tu.predecessors.values_list("parent__parent__code", flat=True))
    assert old == {"94"}


def test_new_can_tho_runs_three_rule_sets(official_units, db):
    can_tho = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.PROVINCE, code="92")
    assert can_tho.jurisdiction == ""  # several, one per commune
    jurisdictions = set(
        AdministrativeUnit.objects.within(can_tho).communes().values_list("jurisdiction", flat=True)
    )
    assert jurisdictions == {"92", "93", "94"}
    assert set(can_tho.predecessors.values_list("code", flat=True)) == {"92", "93", "94"}


def test_paths_follow_the_tree(official_units, db):
    tien_kien = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.COMMUNE, code="08497")
    assert tien_kien.path == "legacy/25/237/08497/"
    assert tien_kien.parent.name == "Huyện Lâm Thao"
    assert tien_kien.search_name == "tien kien"
    phu_tho = AdministrativeUnit.objects.get(tree=Tree.LEGACY, level=Level.PROVINCE, code="25")
    assert tien_kien in AdministrativeUnit.objects.within(phu_tho)


def test_commune_from_two_old_provinces_is_flagged(official_units, db):
    long_an = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="27694")
    assert long_an.jurisdiction == "80"
    assert "nhiều tỉnh cũ" in long_an.jurisdiction_note
    assert [u.code for u in official_units.flagged] == ["27694"]


def test_island_special_zone_links_to_its_old_district(official_units, db):
    con_dao = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="26732")
    assert con_dao.jurisdiction == "77"  # old Bà Rịa - Vũng Tàu
    assert [p.name for p in con_dao.predecessors.all()] == ["Huyện Côn Đảo"]


def test_second_run_changes_nothing(official_units, db):
    summary = units_import()
    assert sum(s.created + s.updated for s in summary.stages) == 0
    assert summary.successions_created == 0


def test_administrator_correction_survives_a_reload(official_units, db):
    long_an = AdministrativeUnit.objects.get(tree=Tree.CURRENT, level=Level.COMMUNE, code="27694")
    long_an.jurisdiction, long_an.jurisdiction_note = "82", "Đã kiểm tra với Sở Tư pháp."
    long_an.jurisdiction_confirmed = True
    long_an.save()
    summary = units_import()
    long_an.refresh_from_db()
    assert long_an.jurisdiction == "82"
    assert summary.flagged == []


def test_command_prints_progress(official_units, db, capsys):
    call_command("import_units")
    out = capsys.readouterr().out
    assert "Xã, phường, đặc khu (từ 01/07/2025): 3321" in out
    assert "Xong: 0 đơn vị mới" in out
