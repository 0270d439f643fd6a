"""Small builders for test data: a few real units, typed by hand *for tests only* (the product
loads units from the official package; see tests/teams/test_official_units.py)."""

from __future__ import annotations

import datetime

from teams.models import (
    AdministrativeUnit,
    AreaKind,
    Assignment,
    Level,
    ResidentialArea,
    Tree,
    UnitKind,
    UnitSuccession,
    User,
)

LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)
PASSWORD = "test-password-123"


def make_unit(
    code: str,
    name: str,
    kind: str,
    *,
    parent: AdministrativeUnit | None = None,
    tree: str = Tree.LEGACY,
    jurisdiction: str = "",
) -> AdministrativeUnit:
    level = {
        UnitKind.TINH: Level.PROVINCE,
        UnitKind.THANH_PHO_TW: Level.PROVINCE,
        UnitKind.HUYEN: Level.DISTRICT,
        UnitKind.QUAN: Level.DISTRICT,
        UnitKind.THI_XA: Level.DISTRICT,
        UnitKind.THANH_PHO: Level.DISTRICT,
    }.get(kind, Level.COMMUNE)
    legacy = tree == Tree.LEGACY
    if not jurisdiction and legacy:
        jurisdiction = parent.jurisdiction if parent else code
    return AdministrativeUnit.objects.create(
        tree=tree,
        level=level,
        kind=kind,
        code=code,
        name=name,
        parent=parent,
        path=(parent.path if parent else f"{tree}/") + f"{code}/",
        valid_from=None if legacy else CURRENT_START,
        valid_to=LEGACY_END if legacy else None,
        jurisdiction=jurisdiction,
    )


def make_area(
    commune: AdministrativeUnit,
    name: str,
    households: int,
    *,
    kind: str = AreaKind.KHU,
    residents: int | None = None,
) -> ResidentialArea:
    return ResidentialArea.objects.create(
        commune=commune, name=name, kind=kind, households=households, residents=residents
    )


def make_user(username: str, *assignments: tuple[str, AdministrativeUnit], **extra) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **extra)
    for role, unit in assignments:
        Assignment.objects.create(user=user, unit=unit, role=role)
    return user


def sign_in(client, user: User):
    """`client.force_login(user)` in one session write: the session that Django's `login()`
    leaves (user id, backend, password hash) is stored at once, without the round trip that
    force_login makes through `login()` (an empty session saved, its key cycled, the login
    signals: django-axes' access log, `last_login`), 17 queries per persona client. Signing in
    itself is tested through the login page (tests/test_security.py)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.http import HttpRequest

    backend = client._get_backend()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    request = HttpRequest()
    request.session = session
    client._set_login_cookies(request)
    user.backend = backend
    return client


def link(old: AdministrativeUnit, new: AdministrativeUnit, *, partly: bool = False) -> None:
    UnitSuccession.objects.create(predecessor=old, successor=new, partly=partly)


# --- Rosters ----------------------------------------------------------------------------------

_serial = iter(range(1, 1_000_000))


def cccd_for(birth: datetime.date, sex: str = "nam", province: str = "025") -> str:
    from rules.cccd import make_number

    return make_number(province_code=province, sex=sex, birth_year=birth.year, serial=next(_serial))


def person_data(**overrides):
    """A person who meets every criterion of Art. 13 for a start in 2024–2026."""
    from teams.validation import PersonData

    birth = overrides.pop("birth_date", datetime.date(1985, 3, 12))
    sex = overrides.pop("sex", "nam")
    values = {
        "full_name": "Nguyễn Văn An",
        "birth_date": birth,
        "sex": sex,
        "cccd": overrides.pop("cccd", None)
        or cccd_for(birth, sex, overrides.pop("province", "025")),
        "phone": "0912345678",
        "ethnicity": "Kinh",
        "education": "thpt",
        "household_status": "khac",
        "residence_type": "thuong_tru",
        "residence_address": "Khu 1, xã Tiên Kiên",
        "residence_since": datetime.date(2000, 1, 1),
    }
    values.update(overrides)
    return PersonData(**values)


def membership_data(**overrides):
    from teams.validation import MembershipData

    values = {"role": "to_vien", "start_date": datetime.date(2024, 7, 15)}
    values.update(overrides)
    return MembershipData(**values)


def make_team(commune, name, *areas, decision_date=None, actor=None):
    from teams import services

    legacy = commune.tree == Tree.LEGACY
    return services.team_create(
        commune=commune,
        data=services.TeamData(
            name=name,
            areas=list(areas),
            decision_number="12/QĐ-UBND",
            decision_date=decision_date
            or (datetime.date(2024, 7, 1) if legacy else datetime.date(2025, 7, 1)),
        ),
        actor=actor,
    )


def add_members(rows, actor=None) -> list:
    """Members new to the system written straight to the database, in four statements whatever
    their number: `rows` are (team, PersonData, MembershipData). The rows are the ones
    `membership_add` leaves for a new person (the person and the membership, each with its
    "created" history row attributed to `actor`), without its checks, which tests/teams tests
    through the service: for tests that need many members, such as a page's query count as the
    roster grows (~3 ms a member through the service)."""
    from dataclasses import asdict

    from simple_history.utils import bulk_create_with_history

    from teams.models import Membership, Person, person_search_name

    persons, memberships = [], []
    for team, person, membership in rows:
        record = Person(**asdict(person))
        record.search_name = person_search_name(record.full_name)  # what Person.save sets
        record._history_user = actor
        persons.append(record)
        row = Membership(person=record, team=team, **asdict(membership))
        row._history_user = actor
        memberships.append(row)
    bulk_create_with_history(persons, Person)
    bulk_create_with_history(memberships, Membership)
    return memberships


def add_member(team, actor=None, *, person=None, **membership):
    """Add a member through the service (so every rule applies); start dates default to the
    commune's tree (2024 for old communes, 2025 for new ones)."""
    from teams import services

    if "start_date" not in membership and team.commune.tree == Tree.CURRENT:
        membership["start_date"] = datetime.date(2025, 7, 15)
    return services.membership_add(
        team=team,
        person=person or person_data(),
        membership=membership_data(**membership),
        actor=actor,
    )
