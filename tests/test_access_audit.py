"""The access audit: every URL pattern, every persona, real objects of another unit.

Two units' worth of data are built once for the module (inside a transaction that is rolled
back at the end): commune A = Xã Tiên Kiên (old Phú Thọ, district Lâm Thao) and commune B = Xã
Mỹ Tú (new Cần Thơ), each with an area, a team, a member, an allowance run, a duty entry, a
report, a training course, equipment, a background document and a roster upload. Then:

1. every named pattern of the URL conf has an entry in tests/access_registry.py (and no entry
   is stale);
2. each persona, given the ids of a unit it does not serve, gets 404 on GET (405 for POST-only
   views) and 403/404/405 on POST, for pages, exports, PDFs and background documents alike, and
   the database does not change;
3. each persona, on its own unit, cannot POST where its role holds none of the permissions the
   view needs (read-only roles: finance and insurance officers on rosters, the police on
   allowances, …): 403/404/405 and the database unchanged;
4. pages without an object in the URL (home, queues, calculator) show nothing of the other
   unit.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from teams.access import ROLE_PERMISSIONS
from tests.access_registry import EXCLUDED, GET, POST, REGISTRY
from tests.builders import add_member, person_data, sign_in

# The data is built once for the module (fixture `audit`); each test also runs in its own
# transaction inside that one, so whatever a test writes is undone after it.
pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "quan-tri/"


def url_patterns(patterns=None, prefix=""):
    """(route, name) of every pattern, walking included URL confs; the admin is skipped."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route == ADMIN_PREFIX:
                continue
            yield from url_patterns(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.name


# --- Data: two units ----------------------------------------------------------------------


@dataclass
class Side:
    commune: object
    upper: object
    officer: object
    area: object
    team: object
    membership: object
    run: object
    duty_entry: object
    period_key: str
    course: object
    document_job: object
    roster_import: object
    funding_list: object
    incident: object
    incident_document: object
    marker: str  # a name that appears only in this unit's data
    mediation: object = None  # tests/mediation/audit.py
    safe: object = None  # "An toàn về ANTT" objects (tests/safe_areas/audit.py)


@dataclass
class Audit:
    users: dict
    sides: dict[str, Side]
    # The digest of the module's data as built (`fingerprint`): every test starts from it, since
    # what a test writes is rolled back after it.
    built: dict[str, str]


# persona → (own side or None, foreign sides)
PERSONAS = {
    "canbo_xa1": ("A", ["B"]),
    "canbo_xa2": (None, ["A", "B"]),  # the neighbouring commune of the same district
    "taichinh_huyen": ("A", ["B"]),
    "bhxh_huyen": ("A", ["B"]),
    "taichinh_khac": (None, ["A", "B"]),  # finance of another district of the province
    "congan_tinh": ("A", ["B"]),
    "congan_huyen": ("A", ["B"]),
    "canbo_ct": ("B", ["A"]),
    "taichinh_ct": ("B", ["A"]),
    "no_role": (None, ["A", "B"]),
    # grassroots mediation: the commune's justice officer, the city's justice office
    "tuphap_ct": ("B", ["A"]),
    "sotuphap_ct": ("B", ["A"]),
}


def _insurance(*, commune, officer, membership, uninsured, month):
    """An enrolled member on the quarter's list, and an incident (with a document) of an
    uninsured one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from insurance import services as insurance_services
    from insurance.models import HiEnrolment, VsiEnrolment

    VsiEnrolment.objects.create(person=membership.person, income=1_500_000, start_date=month)
    HiEnrolment.objects.create(
        person=membership.person, card_number=f"GD4{commune.code:0>11}"[:15], start_date=month
    )
    funding_list = insurance_services.funding_list_compute(
        commune=commune, quarter=month, actor=officer
    )
    incident = insurance_services.incident_save(
        data=insurance_services.IncidentData(
            membership=uninsured,
            kind="injury",
            occurred_on=month + datetime.timedelta(days=3),
            description="Bị thương khi tuần tra",
            medical_costs=1_000_000,
            inpatient_days=2,
        ),
        actor=officer,
    )
    document = insurance_services.incident_document_add(
        incident=incident,
        title="Giấy ra viện",
        file=SimpleUploadedFile("giay-ra-vien.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        actor=officer,
    )
    return funding_list, incident, document


def _side(
    world, roster, *, commune, upper, officer, team, membership, uninsured, area, month, marker
):
    from allowances import services as allowance_services
    from allowances.models import DutyEntry
    from reporting import selectors as report_selectors
    from reporting import services as report_services
    from reporting.models import DocumentJob, EquipmentHolding, TrainingCourse
    from reporting.periods import PeriodKind
    from teams import roster_io
    from teams.models import RosterImport

    user = world.users[officer]
    run = allowance_services.allowance_run_compute(commune=commune, month=month, actor=user)
    entry = DutyEntry.objects.create(
        membership=membership, day=month + datetime.timedelta(days=2), kind="night", created_by=user
    )
    period = report_selectors.periods_for(commune, PeriodKind.MONTHLY, timezone.localdate())[0]
    report_services.report_get(unit=commune, kind=period.kind, period=period)
    course = TrainingCourse.objects.create(
        commune=commune,
        name=f"Huấn luyện {marker}",
        organiser="Công an",
        start_date=month,
        end_date=month + datetime.timedelta(days=1),
        created_by=user,
    )
    EquipmentHolding.objects.create(team=team, item="den_pin", quantity=2, updated_by=user)
    job = DocumentJob.objects.create(
        requested_by=user, unit=commune, kind=period.kind, period=period.key, document="annex"
    )
    upload = RosterImport.objects.create(
        commune=commune,
        uploaded_by=user,
        file_name="danh-sach.xlsx",
        content=b"",
        rows=1,
        report=roster_io.ImportReport(rows=1).as_dict(),
    )
    funding_list, incident, document = _insurance(
        commune=commune, officer=user, membership=membership, uninsured=uninsured, month=month
    )
    from tests.mediation.audit import build as mediation_objects

    mediation = mediation_objects(commune=commune, area=area, officer=user, marker=marker)
    from tests.safe_areas import audit as safe_audit

    safe = safe_audit.build(commune=commune, area=area, user=user, marker=marker)
    return Side(
        commune=commune,
        upper=upper,
        officer=user,
        area=area,
        team=team,
        membership=membership,
        run=run,
        duty_entry=entry,
        period_key=period.key,
        course=course,
        document_job=job,
        roster_import=upload,
        funding_list=funding_list,
        incident=incident,
        incident_document=document,
        marker=marker,
        mediation=mediation,
        safe=safe,
    )


def _insurance_parameters():
    """What a provincial administrator enters for insurance top-ups and incident amounts."""
    from rules.models import Parameter

    Parameter.objects.bulk_create(
        Parameter(
            key=key,
            jurisdiction=jurisdiction,
            value=value,
            unit=unit,
            effective_from=datetime.date(2024, 7, 1),
            citation=f"Tham số thử nghiệm {key}",
            origin=Parameter.Origin.ADMIN,
        )
        for jurisdiction in ("25", "94")
        for key, value, unit in (
            ("vsi.province.mode", "none", "choice"),
            ("hi.province.mode", "none", "choice"),
            ("incident.inpatient_meal_per_day", "70000", "vnd"),
            ("incident.death", "50000000", "vnd"),
            ("incident.funeral", "15000000", "vnd"),
        )
    )


@pytest.fixture(scope="module")
def audit(django_db_setup, django_db_blocker):
    from rules.parameters import load_fixtures
    from tests.conftest import build_roster, build_world, write_parameters

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        write_parameters(load_fixtures())
        _insurance_parameters()
        roster = build_roster(world)
        u = world.units
        from teams.models import Role
        from tests.builders import make_user

        world.users["tuphap_ct"] = make_user("tuphap_ct", (Role.JUSTICE_OFFICER, u["my_tu"]))
        world.users["tuphap_xa1"] = make_user("tuphap_xa1", (Role.JUSTICE_OFFICER, u["tien_kien"]))
        world.users["sotuphap_ct"] = make_user("sotuphap_ct", (Role.JUSTICE_OFFICE, u["ct"]))
        thuy = add_member(
            roster.teams["mt1"],
            world.users["canbo_ct"],
            person=person_data(full_name="Trần Văn Thủy", province="094"),
            role="to_truong",
        )
        tu = add_member(
            roster.teams["mt1"],
            world.users["canbo_ct"],
            person=person_data(full_name="Lâm Văn Tư", province="094"),
            role="to_vien",
        )
        sides = {
            "A": _side(
                world,
                roster,
                commune=u["tien_kien"],
                upper=u["lam_thao"],
                officer="canbo_xa1",
                team=roster.teams["tk1"],
                membership=roster.members["an"],
                uninsured=roster.members["chau"],
                area=world.areas["tien_kien_1"],
                month=datetime.date(2024, 8, 1),
                marker="Nguyễn Văn An",
            ),
            "B": _side(
                world,
                roster,
                commune=u["my_tu"],
                upper=u["ct"],
                officer="canbo_ct",
                team=roster.teams["mt1"],
                membership=thuy,
                uninsured=tu,
                area=world.areas["my_tu_1"],
                month=datetime.date(2025, 8, 1),
                marker="Trần Văn Thủy",
            ),
        }
        yield Audit(world.users, sides, fingerprint())
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def quiet_request_log():
    """The audits' ~6,000 requests answer 404, 403 and 405 on purpose, and Django logs each as a
    warning, formatted for each of the run's handlers into a captured log nobody reads (~0.4
    ms of a 404's CPU; ~2 ms of a 403's while its traceback was logged). Errors, a 500 among
    them, are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module", autouse=True)
def templates_without_contexts():
    """Django's test client keeps, for every template a response renders, a copy of its context
    (`response.context`), which the audits never read: on a form page, where every field row
    is a template of its own (teams/_field.html), the copies were ~12 % of the request's CPU.
    The templates themselves are still recorded (`response.templates`), and every template is
    rendered as before."""
    from django.test import client as test_client

    def templates_only(store, signal, sender, template, context, **kwargs):
        store.setdefault("templates", []).append(template)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_client, "store_rendered_templates", templates_only)
        yield


_BLANK_PDF: list[bytes] = []


def blank_pdf() -> bytes:
    """A valid one-page PDF with nothing on it (pypdf), made once."""
    if not _BLANK_PDF:
        import io

        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        _BLANK_PDF.append(out.getvalue())
    return _BLANK_PDF[0]


@pytest.fixture(scope="module", autouse=True)
def pdf_layout_stand_in():
    """The audits ask who gets 200, 403 or 404, not how a PDF is laid out: every document's
    HTML is still rendered from its template (a template error still fails the request), but
    WeasyPrint's layout of it (core.pdf_processes._write_pdf, the one HTML → PDF step, ~0.3 s
    a document, ~20 of them per unit in `test_the_owner_does_reach_its_objects`) is a blank
    page here. Each PDF view is rendered for real by its own tests: allowance-pdf
    (tests/allowances/test_run_views.py), report-pdf (tests/reporting/test_views.py),
    insurance-pdf and incident-pdf (tests/insurance/test_views.py), mediation-report-pdf
    (tests/mediation/test_document_jobs.py), mediation-book-pdf and mediation-payment-pdf
    (tests/mediation/test_views.py, the justice officer's every page), safe-summary-pdf,
    safe-commune-report and safe-area-certificate (tests/safe_areas/test_views.py)."""
    import core.documents
    from core import pdf_processes

    def stand_in(html: str, base_url: str) -> bytes:
        assert isinstance(html, str) and "</html>" in html, html[-200:]
        return blank_pdf()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_processes, "_write_pdf", stand_in)
        yield
    # Numbered pages that core.documents keeps for the next document would be blank ones.
    core.documents.start_afresh()


# --- Helpers ------------------------------------------------------------------------------

AUDITED_APPS = (
    "teams",
    "allowances",
    "reporting",
    "rules",
    "insurance",
    "django_tasks_db",
    "mediation",
    "safe_areas",
)


def fingerprint() -> dict[str, str]:
    """A digest of every row of the application's tables (history tables included): each
    table's rows as the database returns them, in primary key order. Plain statements, not the
    ORM's `values_list()`, which compiled 64 queries again for every test (~30 ms of CPU)."""
    out = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in AUDITED_APPS:
                continue
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}"
            )
            out[model._meta.label] = hashlib.sha1(repr(cursor.fetchall()).encode()).hexdigest()
    return out


def changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before if before[k] != after.get(k))


def urls_for(name: str, side: Side) -> list[str]:
    entry = REGISTRY[name]
    kwargs = entry.kwargs(side) if entry.kwargs else {}
    variants = kwargs if isinstance(kwargs, list) else [kwargs]
    return [reverse(name, kwargs=kw) for kw in variants]


def persona_perms(audit: Audit, username: str) -> set:
    user = audit.users[username]
    return {p for a in user.assignments.all() for p in ROLE_PERMISSIONS[a.role]}


def client_for(audit: Audit, username: str) -> Client:
    return sign_in(Client(), audit.users[username])


# --- 1. coverage ----------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_registry():
    found = list(url_patterns())
    unnamed = [route for route, name in found if not name]
    assert not unnamed, f"URL patterns without a name cannot be audited: {unnamed}"
    names = {name for _route, name in found}
    missing = sorted(names - set(REGISTRY) - set(EXCLUDED))
    assert not missing, (
        "URL patterns missing from tests/access_registry.py REGISTRY (add an Entry saying "
        f"how to reach another unit's object through each): {missing}"
    )
    stale = sorted((set(REGISTRY) | set(EXCLUDED)) - names)
    assert not stale, f"Registry entries for patterns that no longer exist: {stale}"
    assert not set(REGISTRY) & set(EXCLUDED)


def test_the_walk_sees_included_url_confs():
    routes = dict((name, route) for route, name in url_patterns())
    # one pattern from each included URL conf, with its full route
    assert routes["team-detail"] == "to/<int:pk>/"
    assert routes["allowance-pdf"] == "chi-tra/<int:pk>/danh-sach.pdf"
    assert routes["report-pdf"].startswith("don-vi/<int:pk>/bao-cao/")


# --- 2. other units' objects: 404 --------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_other_units_objects_are_not_found(audit, username):
    _own, foreign = PERSONAS[username]
    problems = []
    client = client_for(audit, username)
    before = audit.built
    for side_name in foreign:
        side = audit.sides[side_name]
        for name, entry in REGISTRY.items():
            if entry.kwargs is None:
                continue
            for url in urls_for(name, side):
                status = client.get(url).status_code
                expected = {404} if GET in entry.methods else {405}
                if status not in expected:
                    problems.append(f"GET {url} ({name}, unit {side_name}) → {status}")
                status = client.post(url, entry.data(side)).status_code
                if status not in {403, 404, 405}:
                    problems.append(f"POST {url} ({name}, unit {side_name}) → {status}")
    after = fingerprint()
    assert not problems, f"{username} reaches another unit's objects:\n" + "\n".join(problems)
    assert not changed(before, after), f"{username} changed {changed(before, after)}"


# --- 3. roles that may not write --------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(u for u, (own, _f) in PERSONAS.items() if own))
def test_roles_cannot_write_beyond_their_permissions(audit, username):
    own, _foreign = PERSONAS[username]
    side = audit.sides[own]
    problems, tried = [], 0
    perms = persona_perms(audit, username)
    client = client_for(audit, username)
    before = audit.built
    for name, entry in REGISTRY.items():
        if entry.write & perms:
            continue  # the role may write here; its own tests cover what it may do
        for url in urls_for(name, side) if entry.kwargs else [reverse(name)]:
            tried += 1
            status = client.post(url, entry.data(side)).status_code
            if status not in {403, 404, 405}:
                problems.append(f"POST {url} ({name}) → {status}")
    after = fingerprint()
    assert tried
    assert not problems, f"{username} may not write, yet:\n" + "\n".join(problems)
    assert not changed(before, after), f"{username} changed {changed(before, after)}"


def test_read_only_roles_are_read_only_on_rosters(audit):
    """The roles table itself: finance, insurance and police never edit rosters."""
    for username in ("taichinh_huyen", "bhxh_huyen", "congan_tinh", "taichinh_ct"):
        assert not {"edit_roster", "run_allowances", "submit_report"} & persona_perms(
            audit, username
        ), username


# --- 4. pages without an object: nothing of the other unit ---------------------------------


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_pages_without_an_object_show_nothing_of_other_units(audit, username):
    _own, foreign = PERSONAS[username]
    problems = []
    client = client_for(audit, username)
    for name, entry in REGISTRY.items():
        if entry.kwargs is not None:
            continue
        response = client.get(reverse(name))
        if response.status_code not in {200, 403}:
            problems.append(f"GET {name} → {response.status_code}")
            continue
        body = response.content.decode()
        for side_name in foreign:
            side = audit.sides[side_name]
            for text in (side.marker, side.commune.name, side.team.name):
                if text in body:
                    problems.append(f"GET {name} shows «{text}» of unit {side_name}")
    assert not problems, "\n".join(problems)


# One test per unit, so that the two units' pages (PDFs among them) render on both workers.
@pytest.mark.parametrize(("side_name", "username"), [("A", "canbo_xa1"), ("B", "canbo_ct")])
def test_the_owner_does_reach_its_objects(audit, side_name, username):
    """The same URLs answer 200 to the unit's own officer: the 404s above are about access,
    not about URLs that lead nowhere."""
    problems = []
    side = audit.sides[side_name]
    clients: dict[str, Client] = {}  # the officer's and the justice officer's, signed in once
    for name, entry in REGISTRY.items():
        if entry.kwargs is None or GET not in entry.methods:
            continue
        if name in {"report-dashboard", "document-download"}:
            continue  # district/province pages; a document not rendered yet
        if name in {"mediation-document-job", "mediation-document-download"}:
            continue  # a background document is its requester's (the commune officer here)
        # mediation pages belong to the commune's justice officer (its own role)
        owner = {"canbo_xa1": "tuphap_xa1", "canbo_ct": "tuphap_ct"}[username]
        persona = owner if name.startswith("mediation-") else username
        if persona not in clients:
            clients[persona] = client_for(audit, persona)
        client = clients[persona]
        url = urls_for(name, side)[0]  # the commune's variant
        status = client.get(url).status_code
        if status != 200:
            problems.append(f"GET {url} ({name}) → {status}")
    assert not problems, "\n".join(problems)


def test_a_post_is_in_the_registry_when_the_view_accepts_it():
    """POST-only views are declared so: the audit's expectations depend on it."""
    assert all(m in (GET, POST) for e in REGISTRY.values() for m in e.methods)


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_the_admin_is_closed_to_every_persona(audit, username):
    """The one part of the URL conf left out above: no persona (none is staff with an
    administrator assignment) gets past the admin's login, whatever the admin page."""
    client = client_for(audit, username)
    side = audit.sides["A"]
    for url in (
        reverse("admin:index"),
        reverse("admin:teams_person_changelist"),
        reverse("admin:teams_membership_change", args=[side.membership.pk]),
        reverse("admin:rules_parameter_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], url


@pytest.mark.parametrize("username", ["canbo_xa1", "taichinh_huyen", "congan_tinh", "canbo_ct"])
def test_other_units_ids_in_the_query_string_find_nothing(audit, username):
    """Lists and exports of one's own unit, filtered by another unit's team id or searched for
    another unit's member (name or CCCD), show nothing of that unit."""
    import io

    from openpyxl import load_workbook

    own, foreign = PERSONAS[username]
    client = client_for(audit, username)
    mine, theirs = audit.sides[own], audit.sides[foreign[0]]
    person = theirs.membership.person
    for query in (
        {"team": theirs.team.pk},
        {"q": person.cccd},
        {"q": person.full_name},
        {"q": person.search_name, "status": "all"},
    ):
        for name in ("roster", "roster-export"):
            response = client.get(reverse(name, args=[mine.commune.pk]), query)
            assert response.status_code == 200, (name, query)
            if name == "roster":
                text = response.content.decode()
            else:
                book = load_workbook(io.BytesIO(response.content), read_only=True)
                text = repr(
                    [list(r) for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
                )
            # what the officer typed is echoed in the search box; anything else of theirs
            # must not show
            secrets = [s for s in (theirs.marker, person.cccd) if s not in query.values()]
            leaked = [s for s in secrets if s in text]
            assert not leaked, (name, query, leaked)
