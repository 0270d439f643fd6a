"""Named personas, the same people as the demo (README), on a small real-named tree.

old Phú Thọ (25) ─ Lâm Thao (237) ─ Tiên Kiên [canbo_xa1], Xuân Lũng [canbo_xa2]
                 │                  (finance: taichinh_huyen, insurance: bhxh_huyen)
                 ├ Việt Trì (227) ─ Gia Cẩm
                 └ Thanh Ba (232) ─ TT Thanh Ba (finance: taichinh_khac, another district)
new Cần Thơ (92) ─ Mỹ Tú (from Sóc Trăng, 94) [canbo_ct, taichinh_ct], Vị Thủy (93)
new Phú Thọ (25) ─ Lâm Thao (from Lâm Thao and Hùng Sơn)
congan_tinh: provincial police of old and new Phú Thọ; admin: superuser.
"""

from __future__ import annotations

import datetime
import pickle
from collections import defaultdict
from dataclasses import dataclass

import pytest

from teams.models import AreaKind, Assignment, Role, Tree, UnitKind, User, person_search_name
from tests.builders import (
    PASSWORD,
    link,
    make_area,
    make_unit,
    make_user,
    person_data,
    sign_in,
)


@dataclass
class World:
    units: dict
    areas: dict
    users: dict[str, User]

    def client_for(self, client, username: str):
        return sign_in(client, self.users[username])


# --- The session: the migrated database once, the slowest tests first ------------------------


@pytest.fixture(scope="session")
def _migrated_copy(django_db_modify_db_settings, django_db_keepdb, django_db_blocker):
    """Starts the worker's test database from a migrated copy (tests/db_cache.py)."""
    from tests.db_cache import MigratedCopy

    with django_db_blocker.unblock():
        copy = MigratedCopy()
        if not django_db_keepdb:
            copy.before()
    yield copy


@pytest.fixture(scope="session")
def django_db_setup(_migrated_copy, django_db_setup, django_db_blocker):
    """pytest-django's setup (listed after `_migrated_copy`, so it runs between the two
    halves), then the copy is loaded or stored."""
    from tests import pg_flush

    pg_flush.install()  # transactional tests' flush: DELETE, not TRUNCATE (tests/pg_flush.py)
    with django_db_blocker.unblock():
        _migrated_copy.after()
    yield


# Tests that take several seconds each go to the workers first, so that no worker is left with
# one of them at the end while the other has nothing to do (pytest-xdist hands tests out in
# collection order). The list is by measurement (`make test` prints the slowest tests).
SLOW_FIRST = (
    "tests/workspace/test_seed_demo.py",
    "tests/reporting/test_killed_worker.py",
    "tests/e2e/test_insurance.py",
    "tests/e2e/test_mediation.py",
    "tests/test_access_audit.py::test_the_owner_does_reach_its_objects",
    "tests/test_bad_input_audit.py::test_no_form_answers_500_to_bad_values",
    "tests/e2e/test_safe_areas.py",
    "tests/test_backup_restore.py",
    "tests/test_security.py::test_check_deploy_is_clean_under_production_settings",
    "tests/test_security.py::test_production_serves_static_files_through_whitenoise_manifest",
    "tests/test_properties.py",
    "tests/test_admin_scope.py::test_every_registered_admin_is_scoped",  # one test, 3-5 s CPU
)


# Modules whose tests share a costly module-scoped fixture (the demo, the official units, the
# audits' two units of data): all their tests go to one worker, so the fixture is built once per
# run rather than once per worker (the audits: 2 builds instead of up to 4; SQLite run ~3 s less,
# measured alternately twice). The demo is seeded only when its cached copy is out of date
# (tests/demo_cache.py; switching to it takes ~0.1 s), but on PostgreSQL the module holds the
# copy under a lock while it runs: on two workers, the second would wait for the first.
# pytest-xdist's own `xdist_group` mark (with --dist loadgroup) would do this by renaming the
# test ids, which pytest 9.2 no longer lets it do: the grouping is silently lost. Hence this
# scheduler, which groups by module path instead (the controller sees only the ids). It
# replaces whatever --dist says whenever the tests run on workers (-n 2).
ONE_WORKER = (
    "tests/workspace/test_seed_demo.py",
    "tests/teams/test_official_units.py",
    "tests/test_access_audit.py",
    "tests/test_bad_input_audit.py",
)


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerListedModule(LoadScopeScheduling):
        """Each test is its own unit of work, except the tests of a module in ONE_WORKER."""

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER else nodeid

    return OneWorkerPerListedModule(config, log)


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # a pytest-xdist worker
        config.add_cleanup(_worker_exit)


def _worker_exit() -> None:
    """A worker's last step, once it has sent its results and run its plugins' unconfigure:
    the exit handlers (the idle PDF render processes are closed by one), then the process
    ends at once. Left to end by itself, the worker took 2-5 s more, with both workers idle,
    to tear its interpreter down while the controller waited for it; nothing the run reports
    depends on it. (The handlers registered before this one, which only restore the
    worker's own output capture and signal handlers, are not run.)"""
    import atexit
    import os
    import sys

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use a database (make test's PostgreSQL run: the others "
        "have just run in its SQLite run)",
    )


def uses_database(item) -> bool:
    """Whether a test reaches the database: marked `django_db`, or asking (through any of its
    fixtures) for the test database, as the browser tests' live server does. A test that
    reaches it otherwise fails on pytest-django's guard, on either database."""
    return item.get_closest_marker("django_db") is not None or (
        "django_db_setup" in getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("database_tests_only"):
        # `make test` runs the whole suite on SQLite first; the ~580 tests that never touch a
        # database (rules, formatting, parsing, properties…) would only repeat themselves on
        # PostgreSQL (~10 s of CPU). `make test-postgres` alone, or pytest, still runs them.
        kept, left_out = [], []
        for item in items:
            (kept if uses_database(item) else left_out).append(item)
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept

    def rank(item) -> int:
        for i, prefix in enumerate(SLOW_FIRST):
            if item.nodeid.startswith(prefix):
                return i
        return len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order
    _choose_module_data(items)


# --- Data a module builds once: the world, the rule parameters, the roster ---------------------
#
# Most tests start from the same few rows (`world`, `db_params`, `roster`: ~25 ms of inserts
# for the three, before the test's own work). A module whose every database test asks for one
# of them builds it once, inside a transaction held open for the module and rolled back at its
# end; each test runs in a savepoint inside it (pytest-django's per-test transaction), so what
# a test writes is undone after it, as with Django's `TestCase.setUpTestData`. The test gets a
# deep copy of the Python objects, so what it changes on them (a cached attribute, a field it
# set) does not reach the next test either.
#
# A module keeps building per test when one of its database tests does not use the data (it
# would see rows it does not expect) or is transactional (it commits, and its live server or
# worker process reads with connections of their own, which would not see the module's
# uncommitted rows).

MODULE_DATA = ("world", "db_params", "roster")


def _choose_module_data(items) -> None:
    by_module = defaultdict(list)
    for item in items:
        module = item.getparent(pytest.Module)
        if module is not None:
            by_module[module].append(item)
    for module, module_items in by_module.items():
        uses = []
        for item in module_items:
            names = set(getattr(item, "fixturenames", ()))
            marker = item.get_closest_marker("django_db")
            if not marker and not names & {"db", "transactional_db"}:
                continue  # no database: it cannot see the module's rows
            if (
                marker
                and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
            ) or names & {"transactional_db", "live_server", "django_db_reset_sequences"}:
                uses = []
                break
            uses.append(names)
        module.antt_module_data = frozenset(
            name for name in MODULE_DATA if uses and all(name in names for names in uses)
        )


@pytest.fixture(scope="module")
def _module_data(request, django_db_setup, django_db_blocker, shipped_parameters):
    """The module's shared rows (see above), or an empty dict when it builds them per test."""
    from django.db import transaction

    shared = getattr(request.node, "antt_module_data", frozenset())
    if not shared:
        yield {}
        return
    with django_db_blocker.unblock(), transaction.atomic():
        data: dict = {}
        if "world" in shared:
            data["world"] = build_world()
        if "db_params" in shared:
            write_parameters(shipped_parameters)
            data["db_params"] = True
        if "roster" in shared:
            data["roster"] = build_roster(data["world"])
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def _module_copy(_module_data) -> dict:
    """This test's copy of the module's objects: one deep copy for all of them, so that
    `roster.world` is the test's `world`. Made by pickling, which copies model instances as
    `copy.deepcopy` does (both go through `Model.__reduce__`), in half its time (~1 ms of ~2
    for the roster, once per test)."""
    if not _module_data:
        return {}
    return pickle.loads(pickle.dumps(_module_data, pickle.HIGHEST_PROTOCOL))


@pytest.fixture
def world(db, _module_copy) -> World:
    if "world" in _module_copy:
        return _module_copy["world"]
    return _in_one_transaction(build_world)


def _in_one_transaction(build):
    """`build()`, committed once when the test is transactional (a live server's or a worker's
    test): otherwise each of its ~50 rows is a commit of its own, and on PostgreSQL a commit
    waits for its write-ahead log to reach the disk. Inside a test's transaction it is called
    as it is."""
    from django.db import connection, transaction

    if connection.in_atomic_block:
        return build()
    with transaction.atomic():
        return build()


def build_world() -> World:
    """The personas' tree, areas and users (a plain function, for module-scoped data too)."""
    u = {}
    u["pt"] = make_unit("25", "Tỉnh Phú Thọ", UnitKind.TINH)
    u["lam_thao"] = make_unit("237", "Huyện Lâm Thao", UnitKind.HUYEN, parent=u["pt"])
    u["tien_kien"] = make_unit("08497", "Xã Tiên Kiên", UnitKind.XA, parent=u["lam_thao"])
    u["xuan_lung"] = make_unit("08500", "Xã Xuân Lũng", UnitKind.XA, parent=u["lam_thao"])
    u["viet_tri"] = make_unit("227", "Thành phố Việt Trì", UnitKind.THANH_PHO, parent=u["pt"])
    u["gia_cam"] = make_unit("07900", "Phường Gia Cẩm", UnitKind.PHUONG, parent=u["viet_tri"])
    u["thanh_ba"] = make_unit("232", "Huyện Thanh Ba", UnitKind.HUYEN, parent=u["pt"])
    u["tt_thanh_ba"] = make_unit(
        "08152", "Thị trấn Thanh Ba", UnitKind.THI_TRAN, parent=u["thanh_ba"]
    )
    u["ct"] = make_unit("92", "Thành phố Cần Thơ", UnitKind.THANH_PHO_TW, tree=Tree.CURRENT)
    u["my_tu"] = make_unit(
        "31567", "Xã Mỹ Tú", UnitKind.XA, parent=u["ct"], tree=Tree.CURRENT, jurisdiction="94"
    )
    u["vi_thuy"] = make_unit(
        "31441", "Xã Vị Thủy", UnitKind.XA, parent=u["ct"], tree=Tree.CURRENT, jurisdiction="93"
    )
    u["pt_new"] = make_unit("25", "Tỉnh Phú Thọ", UnitKind.TINH, tree=Tree.CURRENT)
    u["lam_thao_new"] = make_unit(
        "08494",
        "Xã Lâm Thao",
        UnitKind.XA,
        parent=u["pt_new"],
        tree=Tree.CURRENT,
        jurisdiction="25",
    )
    link(u["tien_kien"], u["lam_thao_new"], partly=True)
    link(u["pt"], u["pt_new"])

    areas = {
        "tien_kien_1": make_area(u["tien_kien"], "Khu 1", 350),
        "tien_kien_2": make_area(u["tien_kien"], "Khu 2", 525),
        "xuan_lung_1": make_area(u["xuan_lung"], "Khu 1", 420),
        "gia_cam_1": make_area(u["gia_cam"], "Tổ dân phố 1", 667, kind=AreaKind.TO_DAN_PHO),
        "my_tu_1": make_area(u["my_tu"], "Ấp Mỹ Phú", 610, kind=AreaKind.AP),
        "vi_thuy_1": make_area(u["vi_thuy"], "Ấp 1", 300, kind=AreaKind.AP),
    }

    users = {
        "canbo_xa1": make_user(
            "canbo_xa1",
            (Role.COMMUNE_OFFICER, u["tien_kien"]),
            first_name="Hùng",
            last_name="Nguyễn Văn",
        ),
        "canbo_xa2": make_user("canbo_xa2", (Role.COMMUNE_OFFICER, u["xuan_lung"])),
        "taichinh_huyen": make_user("taichinh_huyen", (Role.FINANCE_OFFICER, u["lam_thao"])),
        "bhxh_huyen": make_user("bhxh_huyen", (Role.INSURANCE_OFFICER, u["lam_thao"])),
        "taichinh_khac": make_user("taichinh_khac", (Role.FINANCE_OFFICER, u["thanh_ba"])),
        "congan_tinh": make_user(
            "congan_tinh", (Role.PROVINCIAL_POLICE, u["pt"]), (Role.PROVINCIAL_POLICE, u["pt_new"])
        ),
        "congan_huyen": make_user("congan_huyen", (Role.PROVINCIAL_POLICE, u["lam_thao"])),
        "canbo_ct": make_user("canbo_ct", (Role.COMMUNE_OFFICER, u["my_tu"])),
        "taichinh_ct": make_user("taichinh_ct", (Role.FINANCE_OFFICER, u["my_tu"])),
        "no_role": make_user("no_role"),
        "admin": User.objects.create_superuser("admin", password=PASSWORD),
    }
    # The admin site needs staff + an administrator assignment (config.security.may_use_admin).
    Assignment.objects.create(user=users["admin"], unit=u["pt_new"], role=Role.ADMINISTRATOR)
    return World(u, areas, users)


@pytest.fixture(scope="session")
def shipped_parameters():
    from rules.parameters import load_fixtures

    return load_fixtures()


@pytest.fixture
def db_params(db, shipped_parameters, _module_data):
    """The shipped rule parameters in the database, as `load_parameters` puts them (written
    in one statement: the command itself is tested in tests/rules)."""
    if "db_params" not in _module_data:
        write_parameters(shipped_parameters)


def write_parameters(shipped_parameters) -> None:
    from rules.models import Parameter
    from rules.parameters import value_text

    Parameter.objects.bulk_create(
        Parameter(
            key=v.key,
            jurisdiction=v.jurisdiction,
            value=value_text(v.value, v.unit),
            unit=v.unit.value,
            effective_from=v.effective_from,
            effective_to=v.effective_to,
            citation=v.citation,
            source=v.source.value,
            note=v.note,
            origin=Parameter.Origin.FIXTURE,
        )
        for v in shipped_parameters
    )


@dataclass
class Roster:
    world: World
    teams: dict
    members: dict

    def __getattr__(self, name):
        if name.startswith("__") or name == "world":  # copy.deepcopy asks before `world` is set
            raise AttributeError(name)
        return getattr(self.world, name)


@pytest.fixture
def roster(world, db_params, _module_copy) -> Roster:
    if "roster" in _module_copy:
        return _module_copy["roster"]
    return _in_one_transaction(lambda: build_roster(world))


def build_roster(world: World) -> Roster:
    """Teams over the world's areas and a few members, written straight to the database in a
    few statements (the services' rules are tested on their own; people and memberships get
    their "created" history rows, attributed to the commune officer):

    Tiên Kiên: "Khu 1" (350 households, quota 3) with An (Tổ trưởng), Bình (Tổ phó), Châu;
               "Khu 2" (525 households, quota 4) with Dũng (Tổ trưởng).
    Xuân Lũng: "Khu 1" with Em (Tổ trưởng).   Mỹ Tú (new tree, rules 94): "Ấp Mỹ Phú", empty.
    """
    from dataclasses import asdict

    from simple_history.utils import bulk_create_with_history

    from teams.models import Membership, Person, Team
    from tests.builders import membership_data

    a, u, units = world.areas, world.users, world.units
    specs = {
        "tk1": (units["tien_kien"], "Tổ bảo vệ ANTT Khu 1", a["tien_kien_1"]),
        "tk2": (units["tien_kien"], "Tổ bảo vệ ANTT Khu 2", a["tien_kien_2"]),
        "xl1": (units["xuan_lung"], "Tổ bảo vệ ANTT Khu 1", a["xuan_lung_1"]),
        "mt1": (units["my_tu"], "Tổ bảo vệ ANTT Ấp Mỹ Phú", a["my_tu_1"]),
    }
    teams = dict(
        zip(
            specs,
            Team.objects.bulk_create(
                Team(
                    commune=commune,
                    name=name,
                    decision_number="12/QĐ-UBND",
                    decision_date=datetime.date(2024, 7, 1)
                    if commune.tree == Tree.LEGACY
                    else datetime.date(2025, 7, 1),
                )
                for commune, name, _area in specs.values()
            ),
            strict=True,
        )
    )
    Team.areas.through.objects.bulk_create(
        Team.areas.through(team_id=teams[k].pk, residentialarea_id=area.pk)
        for k, (_c, _n, area) in specs.items()
    )
    people = {  # key: (team, name, sex, role)
        "an": ("tk1", "Nguyễn Văn An", "nam", "to_truong"),
        "binh": ("tk1", "Trần Thị Bình", "nu", "to_pho"),
        "chau": ("tk1", "Lê Minh Châu", "nam", "to_vien"),
        "dung": ("tk2", "Phạm Đức Dũng", "nam", "to_truong"),
        "em": ("xl1", "Hoàng Văn Em", "nam", "to_truong"),
    }
    officer = {"tk1": u["canbo_xa1"], "tk2": u["canbo_xa1"], "xl1": u["canbo_xa2"]}
    persons = []
    for team, name, sex, _role in people.values():
        person = Person(**asdict(person_data(full_name=name, sex=sex)))
        person.search_name = person_search_name(name)
        person._history_user = officer[team]
        persons.append(person)
    bulk_create_with_history(persons, Person)
    rows = []
    for person, (team, _name, _sex, role) in zip(persons, people.values(), strict=True):
        row = Membership(person=person, team=teams[team], **asdict(membership_data(role=role)))
        row._history_user = officer[team]
        rows.append(row)
    bulk_create_with_history(rows, Membership)
    return Roster(world, teams, dict(zip(people, rows, strict=True)))


# --- A document's HTML laid out once, in the modules that ask for it ---------------------------

_LAID_OUT: dict[tuple[str, str], bytes] = {}


@pytest.fixture
def one_layout_per_html(monkeypatch):
    """WeasyPrint's PDF of an HTML it has laid out before in this worker is that earlier PDF.
    For the modules whose tests fetch the same document as several users (the ownership
    tests: each user's request still runs the view, its checks and the template; only the
    layout of the same HTML, ~0.3 s of CPU, is not done again). A layout is a function of its
    HTML (tests/reporting/test_consolidated_parts.py compares two layouts byte for byte);
    tests of the layout itself do not use this."""
    from core import pdf_processes

    write = pdf_processes._write_pdf

    def once(html: str, base_url: str) -> bytes:
        key = (html, base_url)
        if key not in _LAID_OUT:
            _LAID_OUT[key] = write(html, base_url)
        return _LAID_OUT[key]

    monkeypatch.setattr(pdf_processes, "_write_pdf", once)
