"""Django's admin (/quan-tri/) follows the application's unit scoping (config.admin_scope): a
staff user with an administrator assignment for one province, holding every Django permission,
sees only that province's rows in every registered ModelAdmin — the change list, the change and
history pages (302/403/404 for another province's object), searches and autocompletes — and an
admin that names no unit is for superusers only. The test walks `admin.site._registry`, so an
admin registered later is checked too: it needs objects of both provinces below (`_province`).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from config.admin_scope import UnitScopedAdmin
from mediation.models import LeaderElection, MediationPlan
from rules.models import Parameter
from teams.models import (
    AdministrativeUnit,
    Membership,
    Role,
    RosterImport,
    Team,
    Tree,
    UnitKind,
)
from tests.builders import link, make_area, make_unit, make_user
from tests.mediation.audit import build as mediation_objects

D = datetime.date
pytestmark = pytest.mark.django_db


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _declared(model_admin) -> bool:
    return bool(
        getattr(model_admin, "unit_paths", ()) or getattr(model_admin, "jurisdiction_field", "")
    )


def _snapshot() -> dict:
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model, _a in _registered()
    }


def _old_commune(jurisdiction: str, marker: str):
    """A commune of the old tree (outside both new provinces' subtrees, like every old unit)."""
    old = make_unit(jurisdiction, f"Tỉnh {marker} (cũ)", UnitKind.TINH)
    return make_unit(f"{jurisdiction}900", f"Xã {marker} cũ", UnitKind.XA, parent=old)


def _province(code: str, name: str, jurisdiction: str, marker: str, old) -> SimpleNamespace:
    """A province of the new tree with one commune and one object of every scoped model: an
    area, an ANTT team with a member, a roster upload, the mediation objects (team, mediators,
    case, list, accident, plan, report), a leader election, a consolidation, a parameter of the
    commune's jurisdiction, an officer, and an old commune that became part of the new one."""
    province = make_unit(code, name, UnitKind.TINH, tree=Tree.CURRENT)
    commune = make_unit(f"{code}001", f"Xã {marker}", UnitKind.XA, parent=province,
                        tree=Tree.CURRENT, jurisdiction=jurisdiction)  # fmt: skip
    link(old, commune)
    area = make_area(commune, f"Ấp {marker}", 300)
    officer = make_user(f"tuphap_{code}", (Role.JUSTICE_OFFICER, commune))
    med = mediation_objects(commune=commune, area=area, officer=officer, marker=marker)
    LeaderElection.objects.create(team=med.team, mediator=med.mediator, held_on=D(2025, 8, 1),
                                  mediators_count=3, votes=3)  # fmt: skip
    med.team.consolidations.create(year=2026, reviewed_on=D(2026, 1, 5))
    antt = Team.objects.create(commune=commune, name=f"Tổ ANTT {marker}",
                               decision_number="1/QĐ", decision_date=D(2025, 7, 1))  # fmt: skip
    Membership.objects.create(person=med.mediator.person, team=antt, role="to_vien",
                              start_date=D(2025, 7, 15))  # fmt: skip
    RosterImport.objects.create(commune=commune, uploaded_by=officer, file_name="ds.xlsx",
                                content=b"", rows=0, report={})  # fmt: skip
    Parameter.objects.create(key="mediation.per_case", jurisdiction=jurisdiction, value="100000",
                             unit="vnd", effective_from=D(2025, 1, 1),
                             citation=f"NQ {marker}", source="resolution")  # fmt: skip
    return SimpleNamespace(province=province, commune=commune, person=med.mediator.person)


@pytest.fixture
def provinces(world):
    old_a, old_b = _old_commune("71", "An"), _old_commune("72", "Bình")
    before = _snapshot()
    a = _province("71", "Tỉnh Quản Trị", "71", "An", old_a)
    after_a = _snapshot()
    b = _province("72", "Tỉnh Láng Giềng", "72", "Bình", old_b)
    after_b = _snapshot()
    a.created = {m: after_a[m] - before[m] for m in before}
    b.created = {m: after_b[m] - after_a[m] for m in before}
    staff = make_user("quantri_71", (Role.ADMINISTRATOR, a.province), is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    a.staff = staff
    return a, b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_admin_is_scoped(provinces):
    """Each ModelAdmin either names where its rows hang in the tree, and then the province's
    administrator sees its own province's rows and none of the other's, or it names none and
    is closed to everyone but a superuser."""
    a, b = provinces
    # The admin takes staff with an administrator assignment (config.security), even a superuser.
    root = make_user("root", (Role.ADMINISTRATOR, a.province), is_superuser=True, is_staff=True)
    staff, superuser = _client(a.staff), _client(root)
    problems = []
    for model, model_admin in _registered():
        label = model._meta.label
        assert isinstance(model_admin, UnitScopedAdmin), label
        changelist = _url(model, "changelist")
        if not _declared(model_admin):
            if staff.get(changelist).status_code != 403:
                problems.append(f"{label}: the change list is open to a province's administrator")
            if superuser.get(changelist).status_code != 200:
                problems.append(f"{label}: a superuser cannot open it")
            continue
        mine, theirs = a.created[model], b.created[model]
        if not mine or not theirs:
            problems.append(f"{label}: tests/test_admin_scope.py builds no object of it")
            continue
        response = staff.get(changelist, {"all": ""})
        assert response.status_code == 200, label
        shown = {obj.pk for obj in response.context["cl"].queryset}
        if shown & theirs:
            problems.append(f"{label}: lists another province's rows {sorted(shown & theirs)}")
        if not mine <= shown:
            problems.append(f"{label}: does not list its own province's rows")
        shown_to_root = {obj.pk for obj in superuser.get(changelist).context["cl"].queryset}
        if not theirs <= shown_to_root:
            problems.append(f"{label}: a superuser does not see every row")
        other = sorted(theirs)[0]
        for view in ("change", "delete", "history"):
            try:
                url = _url(model, view, other)
            except Exception:
                continue
            status = staff.get(url).status_code
            if status not in (302, 403, 404):
                problems.append(f"{label}: {view} page of another province's object → {status}")
        own = sorted(mine)[0]
        if staff.get(_url(model, "change", own)).status_code != 200:
            problems.append(f"{label}: its own province's object cannot be opened")
    assert not problems, "\n".join(problems)


def test_another_provinces_people_are_not_found_by_cccd(provinces):
    a, b = provinces
    client = _client(a.staff)
    people = _url(type(b.person), "changelist")
    page = client.get(people).content.decode()
    assert a.person.cccd in page and b.person.cccd not in page
    found = client.get(people, {"q": b.person.cccd})
    assert not list(found.context["cl"].queryset)
    # the unit picker of a plan offers the administrator's own units only
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "mediation", "model_name": "mediationplan", "field_name": "unit",
         "term": "Xã"},
    )  # fmt: skip
    names = {r["text"] for r in response.json()["results"]}
    assert "Xã An" in names and "Xã Bình" not in names


def test_a_plan_cannot_be_made_for_another_province(provinces):
    a, b = provinces
    client = _client(a.staff)
    before = MediationPlan.objects.count()
    data = {
        "unit": b.commune.pk, "number": "9/KH-UBND", "signed_on": "01/02/2026",
        "title": "Kế hoạch", "issuer": "UBND xã", "first_year": "2026", "last_year": "2026",
        "consolidated_target": "95", "success_target": "85", "secretary_target": "100",
        "report_due_month": "11", "report_due_day": "15",
        "budget_lines-TOTAL_FORMS": "0", "budget_lines-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(_url(MediationPlan, "add"), data)
    assert response.status_code == 200 and MediationPlan.objects.count() == before
    assert "unit" in response.context["adminform"].form.errors
    data["unit"] = a.commune.pk
    data["report_due_day"] = "31"  # 31/11 is no day
    response = client.post(_url(MediationPlan, "add"), data)
    assert "không phải là một ngày" in response.content.decode()
    data["report_due_day"] = "15"
    data["budget_lines-TOTAL_FORMS"] = "1"
    data.update({"budget_lines-0-label": "Thù lao", "budget_lines-0-amount": "46000000",
                 "budget_lines-0-remuneration": "on"})  # fmt: skip
    response = client.post(_url(MediationPlan, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan = MediationPlan.objects.get(number="9/KH-UBND")
    assert plan.unit == a.commune and plan.budget_lines.get().amount == 46_000_000


def test_parameters_of_the_provinces_jurisdictions_and_national_ones_read_only(provinces):
    a, _b = provinces
    national = Parameter.objects.create(key="base_salary", jurisdiction="", value="2340000",
                                        unit="vnd", effective_from=D(2024, 7, 1),
                                        citation="NĐ 73/2024", source="resolution")  # fmt: skip
    client = _client(a.staff)
    shown = {
        p.jurisdiction for p in client.get(_url(Parameter, "changelist")).context["cl"].queryset
    }
    assert "71" in shown and "" in shown and "72" not in shown
    page = client.get(_url(Parameter, "change", national.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(_url(Parameter, "change", national.pk), {"value": "1"})
    national.refresh_from_db()
    assert response.status_code == 403 and national.value == "2340000"
    form = client.get(_url(Parameter, "add")).context["adminform"].form
    assert [c for c, _label in form.fields["jurisdiction"].choices] == ["71"]


def test_a_province_administrator_cannot_make_a_superuser(provinces):
    a, _b = provinces
    client = _client(a.staff)
    officer = AdministrativeUnit.objects.get(code="71001").assignments.get().user
    form = client.get(_url(type(officer), "change", officer.pk)).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_an_account_that_also_works_in_another_province_is_not_changed_there(provinces):
    """Its password and roles are a superuser's to change: the province's administrator can
    see it (it works in the province) but not change it, set its password or delete it."""
    a, b = provinces
    shared = make_user("canbo_hai_tinh", (Role.COMMUNE_OFFICER, a.commune),
                       (Role.COMMUNE_OFFICER, b.commune))  # fmt: skip
    own = AdministrativeUnit.objects.get(code="71001").assignments.exclude(user=shared).get().user
    client = _client(a.staff)
    assert client.get(_url(type(shared), "change", shared.pk)).status_code == 200
    password = client.post(
        reverse("admin:auth_user_password_change", args=[shared.pk]),  # Django's own name
        {"password1": "MatKhauMoi#2026", "password2": "MatKhauMoi#2026"},
    )
    assert password.status_code == 403
    assert not type(shared).objects.get(pk=shared.pk).check_password("MatKhauMoi#2026")
    assert client.post(_url(type(shared), "delete", shared.pk), {"post": "yes"}).status_code == 403
    assert type(shared).objects.filter(pk=shared.pk).exists()
    # An account of the province alone is still the administrator's to look after.
    assert client.get(reverse("admin:auth_user_password_change", args=[own.pk])).status_code == 200
