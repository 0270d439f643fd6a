"""The province run is set-based (issue 13, Scale): its number of queries does not grow with
the number of communes, teams or members, and what it writes is still complete — linked rows,
history, idempotence. (On SQLite Django still splits bulk_create into statements of at most
999 parameters, so a province of thousands of areas costs a few dozen more INSERTs there;
on PostgreSQL the province run is 36 statements whatever its size.)"""

from __future__ import annotations

import datetime
from dataclasses import asdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carryover import services
from carryover.models import CarryOver
from teams.models import (
    AdministrativeUnit,
    EndGround,
    Level,
    Membership,
    Person,
    ResidentialArea,
    Team,
    Tree,
)
from tests.builders import link, make_unit, person_data

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 7, 15)


def _province(code: str, communes: int, teams_each: int, members_each: int) -> AdministrativeUnit:
    """An old province whose communes each become one new commune (no decision needed), with
    `teams_each` areas and teams per old commune and `members_each` members per team."""
    old_province = make_unit(code, f"Tỉnh Cũ {code}", "tinh")
    district = make_unit(f"{code}1", "Huyện Cũ", "huyen", parent=old_province)
    province = make_unit(code, f"Tỉnh Mới {code}", "tinh", tree=Tree.CURRENT, jurisdiction=code)
    for c in range(communes):
        old = make_unit(f"{code}0{c:02d}", f"Xã Cũ {c}", "xa", parent=district)
        new = make_unit(
            f"{code}9{c:02d}",
            f"Xã Mới {c}",
            "xa",
            parent=province,
            tree=Tree.CURRENT,
            jurisdiction=code,
        )
        link(old, new)
        areas = ResidentialArea.objects.bulk_create(
            ResidentialArea(commune=old, name=f"Khu {i}", kind="khu", households=300)
            for i in range(teams_each)
        )
        teams = Team.objects.bulk_create(
            Team(commune=old, name=f"Tổ {i}", decision_number="1/QĐ", decision_date=START)
            for i in range(teams_each)
        )
        Team.areas.through.objects.bulk_create(
            Team.areas.through(team_id=t.pk, residentialarea_id=a.pk)
            for t, a in zip(teams, areas, strict=True)
        )
        people = Person.objects.bulk_create(
            Person(
                **asdict(person_data(full_name=f"Người {code} {c} {i}")), search_name=f"nguoi {i}"
            )
            for i in range(teams_each * members_each)
        )
        Membership.objects.bulk_create(
            Membership(
                person=p,
                team=teams[i % teams_each],
                role="to_truong" if i < teams_each else "to_vien",
                start_date=START,
                concurrent_posts=["cong_an_vien"] if i == 0 else [],
            )
            for i, p in enumerate(people)
        )
    return province


def _run(province) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        summary = services.province_carry_over(province=province, actor=None)
    return summary, len(queries)


def test_the_province_run_costs_the_same_queries_whatever_its_size():
    small, small_queries = _run(_province("91", 2, 1, 2))
    large, large_queries = _run(_province("92", 6, 4, 5))  # 3× the communes, 30× the members
    assert (small["communes"], small["memberships"]) == (2, 4)
    assert (large["communes"], large["teams"], large["memberships"]) == (6, 24, 120)
    assert large_queries == small_queries


def test_the_province_run_writes_linked_rows_with_their_history_and_runs_once():
    province = _province("91", 3, 2, 3)
    summary, _queries = _run(province)
    assert (summary["communes"], summary["areas"], summary["memberships"]) == (3, 6, 18)
    olds = Membership.objects.filter(team__commune__tree=Tree.LEGACY)
    assert not olds.filter(end_date__isnull=True).exists()
    for old in olds.select_related("transferred_to__team__commune"):
        new = old.transferred_to
        assert (old.end_date, old.end_ground) == (
            datetime.date(2025, 6, 30),
            EndGround.REORGANISATION,
        )
        assert (new.person_id, new.role, new.start_date, new.end_date, new.version) == (
            old.person_id,
            old.role,
            datetime.date(2025, 7, 1),
            None,
            1,
        )
        assert new.concurrent_posts == old.concurrent_posts
        assert new.team.commune.tree == Tree.CURRENT
        assert list(new.team.came_from.all()) == [old.team]
        assert list(new.history.values_list("history_type", flat=True)) == ["+"]
        last = old.history.order_by("-history_id").first()
        assert (last.history_type, last.end_ground, last.transferred_to_id) == (
            "~",
            EndGround.REORGANISATION,
            new.pk,
        )
    for area in ResidentialArea.objects.filter(commune__tree=Tree.CURRENT):
        assert area.history.count() == 1 and area.came_from.count() == 1
    for carry in CarryOver.objects.all():
        assert len(carry.created["memberships"]) == 6
    again, _queries = _run(province)
    assert (again["communes"], again["memberships"], again["already_carried"]) == (0, 0, 3)


def test_an_old_commune_recorded_as_wholly_merged_into_two_new_communes_goes_to_the_first():
    # The official list has two of these (Xã Hồng Quang, Cao Bằng; Xã Công Đa, Tuyên Quang).
    province = _province("91", 2, 1, 2)
    first, second = AdministrativeUnit.objects.filter(
        tree=Tree.CURRENT, level=Level.COMMUNE
    ).order_by("path")
    old = first.succession_as_successor.get().predecessor
    link(old, second)
    summary, _queries = _run(province)
    assert summary["communes"] == 1
    [decision] = summary["needs_decision"]
    assert decision["code"] == second.code
    assert "cũng thuộc phương án mặc định của" in " ".join(decision["reasons"])
    assert Membership.objects.filter(team__commune=first, end_date__isnull=True).count() == 2
    assert not ResidentialArea.objects.filter(commune=second).exists()
