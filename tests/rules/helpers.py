"""Shared helpers for rule tests: the shipped fixtures, no database."""

import datetime

from rules import engine
from rules.base import AreaFacts, CommuneKind, DutyFacts, DutyKind, MemberFacts, TeamRole
from rules.parameters import ParameterTable, ParameterValue, Unit

D = datetime.date
AUG_2024 = D(2024, 8, 1)


def quota(params, jurisdiction, households=0, residents=None, kind="xa", on=AUG_2024):
    area = AreaFacts(CommuneKind(kind), households, residents)
    return engine.member_quota(jurisdiction=jurisdiction, area=area, on=on, params=params)


def support(params, jurisdiction, role, month=AUG_2024, **facts):
    member = MemberFacts(TeamRole(role), **facts)
    return engine.monthly_support(
        jurisdiction=jurisdiction, member=member, month=month, params=params
    )


def duty(params, jurisdiction, month=AUG_2024, **units):
    facts = DutyFacts({DutyKind(kind): n for kind, n in units.items()})
    return engine.duty_stipend(jurisdiction=jurisdiction, duty=facts, month=month, params=params)


def insurance(params, jurisdiction, scheme, on, groups=("other",), **kw):
    return engine.insurance(
        jurisdiction=jurisdiction,
        scheme=scheme,
        on=on,
        params=params,
        groups=frozenset(groups),
        **kw,
    )


def with_values(params, jurisdiction, start, values):
    """A copy of `params` with more values ({key: (value, unit)}), as an administrator would
    enter them."""
    table = ParameterTable(params)
    for key, (value, unit) in values.items():
        table.add(ParameterValue(key, jurisdiction, value, Unit(unit), start, "NQ (nhập thử)"))
    return table
