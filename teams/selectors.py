"""Reads for the teams app. Every list takes the actor and stays inside what they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .access import scope_q, user_assignments
from .models import (
    AdministrativeUnit,
    Assignment,
    Level,
    ResidentialArea,
    Tree,
    UnitSuccession,
    User,
    search_key,
)


@dataclass(frozen=True)
class UnitStats:
    communes: int
    areas: int
    households: int
    residents: int


def unit_stats(*, unit: AdministrativeUnit) -> UnitStats:
    communes = 1 if unit.is_commune else AdministrativeUnit.objects.within(unit).communes().count()
    areas = ResidentialArea.objects.filter(commune__path__startswith=unit.path).aggregate(
        n=Count("pk"),
        households=Coalesce(Sum("households"), 0),
        residents=Coalesce(Sum("residents"), 0),
    )
    return UnitStats(communes, areas["n"], areas["households"], areas["residents"])


@dataclass(frozen=True)
class HomeCard:
    assignment: Assignment
    stats: UnitStats


def home_cards(*, actor: User) -> list[HomeCard]:
    """One card per unit the actor holds a role at, with what lies under it."""
    return [HomeCard(a, unit_stats(unit=a.unit)) for a in user_assignments(actor)]


def units_visible(*, actor: User) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(scope_q(actor))


def top_units(*, actor: User) -> QuerySet[AdministrativeUnit]:
    """Provinces of both trees, for a superuser without assignments."""
    # New provinces have communes as children; old ones have districts, then communes.
    return (
        units_visible(actor=actor)
        .filter(level=Level.PROVINCE)
        .annotate(
            commune_count=Count("children", filter=Q(children__level=Level.COMMUNE), distinct=True)
            + Count("children__children", distinct=True)
        )
        .order_by("-tree", "name")
    )


def unit_ancestors(*, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(path__in=unit.ancestor_paths).order_by("path"))


def unit_children(*, unit: AdministrativeUnit, search: str = "") -> QuerySet[AdministrativeUnit]:
    """The units directly under `unit`, with counts of what lies beneath each."""
    children = unit.children.all()
    if search:
        key = search_key(search)
        children = children.filter(search_name__contains=key) | children.filter(code=search.strip())
    if unit.tree == Tree.LEGACY and unit.level == Level.PROVINCE:
        areas_under = ResidentialArea.objects.filter(commune__parent=OuterRef("pk")).values(
            "commune__parent"
        )
        return children.annotate(
            commune_count=Count("children", distinct=True),
            area_count=Coalesce(
                Subquery(
                    areas_under.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
                ),
                0,
            ),
            households=Coalesce(
                Subquery(
                    areas_under.annotate(n=Sum("households")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        ).order_by("code")
    return children.annotate(
        area_count=Count("residential_areas"),
        households=Coalesce(Sum("residential_areas__households"), 0),
    ).order_by("code")


def commune_areas(*, commune: AdministrativeUnit) -> QuerySet[ResidentialArea]:
    return commune.residential_areas.order_by("name")


def unit_predecessors(*, unit: AdministrativeUnit) -> QuerySet[UnitSuccession]:
    """The old units this one was formed from on 1 Jul 2025 (with "partly" flags)."""
    return (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent__parent")
        .order_by("predecessor__path")
    )


def unit_successors(*, unit: AdministrativeUnit) -> QuerySet[UnitSuccession]:
    """The new units this old one became part of on 1 Jul 2025."""
    return (
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor__parent")
        .order_by("successor__path")
    )
