"""The shared shape of the resolutions that differ only in their figures: a member quota for
every residential area by households or by residents (``quota.all.*``), a monthly amount per
role (``support.<role>``, whose unit says fixed VND, coefficient × base salary or % of the
regional minimum wage), the standard duty stipends (``duty.*``), the province's insurance
top-ups (``vsi.province.*``, ``hi.province.*``), optionally the support for uninsured members
(``incident.*``) and the partial-month policy.

Such a resolution has no Python module: its fixture file (``fixtures/rules/<name>.toml``) says
what the resolution is, in a ``[rule]`` table next to its dated parameters, and the registry
builds the rule from it. The ``about`` text is what a module's docstring would say: where the
figures come from, what is unverified, the open questions. It stays with the figures::

    jurisdiction = "48"

    [rule]
    shape = "standard"
    title = "Nghị quyết HĐND thành phố Đà Nẵng về Tổ bảo vệ ANTT (06/2024)"
    citation = "NQ của HĐND TP Đà Nẵng về Tổ bảo vệ ANTT (06/2024)"
    effective_from = 2024-07-01     # the registry's date for the rule
    # effective_to = 2026-06-30     # when a later resolution replaces it
    quota_measure = "households"    # or "residents"
    incident = false                # true: uninsured members' support (incident.*) applies
    about = \"\"\"Đà Nẵng (old province 48): … \"\"\"

A resolution with a shape of its own (Phú Thọ's concurrent posts, Thanh Hóa's village types,
Cần Thơ's training extra) is a module in this package instead; see the README recipe.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

from rules import duty, incident, quota, support
from rules.base import AmountResult, AreaFacts, DutyFacts, MemberFacts, QuotaResult, TeamRole
from rules.insurance import PROVINCE_KEYS
from rules.parameters import FIXTURES_DIR, ParameterSource

SHAPE = "standard"
QUOTA_PARTS = ("bands", "kind", "step_from", "step_size", "top_from", "top_members")
MEASURES = ("households", "residents")


class StandardRule:
    """A rule of the shared shape, read from a fixture's ``[rule]`` table. It offers what a
    rule module offers (``JURISDICTION``, ``TITLE``, ``EFFECTIVE_FROM``, ``PARAMETER_KEYS``,
    ``member_quota``, ``monthly_support``, ``duty_stipend`` and, where the resolution covers
    it, ``uninsured_incident``), under the module name the rule would have
    (``rules.jurisdictions.<file name>``), so snapshots name it the same way."""

    def __init__(self, name: str, jurisdiction: str, rule: dict[str, Any]):
        self.__name__ = f"rules.jurisdictions.{name}"
        self.__doc__ = str(rule.get("about", "")).strip()
        self.JURISDICTION = jurisdiction
        self.TITLE = str(rule["title"])
        self.CITATION = str(rule["citation"])
        self.INCIDENT_CITATION = str(rule.get("incident_citation", self.CITATION))
        self.EFFECTIVE_FROM: datetime.date = rule["effective_from"]
        self.EFFECTIVE_TO: datetime.date | None = rule.get("effective_to")
        self.measure = str(rule.get("quota_measure", "households"))
        if self.measure not in MEASURES:
            raise ValueError(f"{name}.toml: quota_measure phải là households hoặc residents")
        self.incident = bool(rule.get("incident", False))
        self.PARAMETER_KEYS = [
            *(f"quota.all.{part}" for part in QUOTA_PARTS),
            *(f"support.{role}" for role in TeamRole),
            *duty.DUTY_KEYS,
            *PROVINCE_KEYS,
            *(incident.INCIDENT_KEYS if self.incident else ()),
            "partial_month.policy",
        ]

    def __repr__(self) -> str:
        return f"<StandardRule {self.__name__}>"

    def member_quota(
        self, area: AreaFacts, params: ParameterSource, on: datetime.date
    ) -> QuotaResult:
        return quota.quota_for_group(
            area, params, on, jurisdiction=self.JURISDICTION, group="all", measure=self.measure,
            citation=self.CITATION, module=self.__name__,
        )  # fmt: skip

    def monthly_support(
        self, member: MemberFacts, params: ParameterSource, month: datetime.date
    ) -> AmountResult:
        return support.monthly(
            member, params, month, jurisdiction=self.JURISDICTION, citation=self.CITATION,
            module=self.__name__, shapes=[support.by_role],
        )  # fmt: skip

    def duty_stipend(
        self, duty_facts: DutyFacts, params: ParameterSource, on: datetime.date
    ) -> AmountResult:
        return duty.duty_stipend(
            duty_facts, params, on, jurisdiction=self.JURISDICTION, citation=self.CITATION,
            module=self.__name__,
        )  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        # Only a resolution that covers uninsured members offers the computation, so the
        # engine's "no such support in this resolution" message stays true for the others.
        if name == "uninsured_incident" and self.__dict__.get("incident"):
            return self._uninsured_incident
        raise AttributeError(name)

    def _uninsured_incident(
        self,
        params: ParameterSource,
        on: datetime.date,
        *,
        inpatient_days: int = 0,
        died: bool = False,
        capacity_loss: int = 0,
    ) -> AmountResult:
        return incident.uninsured_incident(
            jurisdiction=self.JURISDICTION, on=on, params=params, inpatient_days=inpatient_days,
            died=died, capacity_loss=capacity_loss, citation=self.INCIDENT_CITATION,
            module=self.__name__,
        )  # fmt: skip


def load_rules(directory: Path = FIXTURES_DIR) -> list[StandardRule]:
    """Every fixture file whose ``[rule]`` table names this shape."""
    rules = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rule = data.get("rule")
        if rule and rule.get("shape") == SHAPE:
            rules.append(StandardRule(path.stem, str(data["jurisdiction"]), rule))
    return rules
