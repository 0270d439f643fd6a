"""The mapping form of a carry-over, read from the POST into a `Plan`.

Field names carry the ids of the predecessors' rows (``area_<id>`` the new name of an old area,
``pick_<id>`` a split predecessor's area chosen, ``hh_<id>`` / ``res_<id>`` its households and
residents, ``team_<id>`` the new name of an old team, ``leader::<new team name>`` who leads a
merged team, ``quota::<new team name>`` why a merged team may exceed its quota). Old areas given the same new name are merged into one new area, old teams given
the same new team name into one team. An id that is not one of this commune's predecessors'
answers 404 (`PlanIds.check`), as for any other unit's object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import Form

from .plan import AreaPlan, Plan, TeamPlan
from .selectors import Source

PREFIXES = ("area_", "pick_", "hh_", "res_", "team_")
REASON_LENGTH = 500  # room for a document's number, date and a sentence; longer is refused


@dataclass
class Values:
    """What the form shows for each old row (submitted, or the default plan's)."""

    area_name: dict[int, str]
    picked: set[int]
    households: dict[int, str]
    residents: dict[int, str]
    team_name: dict[int, str]
    leaders: dict[str, str]
    jurisdiction: str
    quota_reasons: dict[str, str]


def values_from_plan(plan: Plan, sources: list[Source]) -> Values:
    area_name = {aid: ap.name for ap in plan.areas for aid in ap.sources}
    team_name = {tid: tp.name for tp in plan.teams for tid in tp.sources}
    areas = {a.id: a for s in sources for a in s.areas}
    return Values(
        area_name={aid: area_name.get(aid, a.name) for aid, a in areas.items()},
        picked={aid for ids in plan.picked.values() for aid in ids},
        households={aid: str(a.households) for aid, a in areas.items()},
        residents={
            aid: "" if a.residents is None else str(a.residents) for aid, a in areas.items()
        },
        team_name={t.id: team_name.get(t.id, t.name) for s in sources for t in s.teams},
        leaders={tp.name.lower(): str(tp.leader) for tp in plan.teams if tp.leader},
        jurisdiction=plan.jurisdiction,
        quota_reasons={tp.name.lower(): tp.over_quota_reason for tp in plan.teams},
    )


def _number(text: str, label: str, *, required: bool) -> int | None:
    text = (text or "").strip().replace(".", "").replace(",", "")
    if not text:
        if required:
            raise ValidationError(_("Chưa nhập %(label)s.") % {"label": label})
        return None
    if not text.isdigit() or len(text) > 9:
        raise ValidationError(
            _("%(label)s phải là số nguyên dương (đang là «%(text)s»).")
            % {"label": label, "text": text[:20]}
        )
    return int(text)


def check_ids(data: QueryDict, sources: list[Source]) -> None:
    """404 when the POST names a row that is not one of this commune's predecessors'."""
    areas = {a.id for s in sources for a in s.areas}
    teams = {t.id for s in sources for t in s.teams}
    members = {m.id for s in sources for m in s.members}
    units = {s.unit.pk for s in sources}
    for key in data:
        for prefix in PREFIXES:
            if key.startswith(prefix):
                raw = key[len(prefix) :]
                known = teams if prefix == "team_" else areas
                if not raw.isdigit() or int(raw) not in known:
                    raise Http404(_("Không tìm thấy khu dân cư hoặc Tổ của đơn vị cũ."))
        if key.startswith("leader::"):
            value = data.get(key, "")
            if value and (not value.isdigit() or int(value) not in members):
                raise Http404(_("Không tìm thấy thành viên của đơn vị cũ."))
        if key == "unit":
            for value in data.getlist(key):
                if not value.isdigit() or int(value) not in units:
                    raise Http404(_("Không tìm thấy đơn vị cũ."))


def plan_from_post(data: QueryDict, sources: list[Source]) -> tuple[Plan, Values]:
    """The plan the officer sent (ids checked by `check_ids` first). Bad numbers raise a
    ValidationError naming the area."""
    check_ids(data, sources)
    problems: list[str] = []
    picked: dict[int, list[int]] = {}
    groups: dict[str, AreaPlan] = {}
    order: list[str] = []
    values = Values({}, set(), {}, {}, {}, {}, data.get("jurisdiction", "").strip(), {})
    hh_given: dict[str, list[int]] = {}
    res_given: dict[str, list[int | None]] = {}
    for s in sources:
        for a in s.areas:
            name = " ".join(data.get(f"area_{a.id}", a.name).split())
            values.area_name[a.id] = name
            values.households[a.id] = data.get(f"hh_{a.id}", str(a.households))
            values.residents[a.id] = data.get(
                f"res_{a.id}", "" if a.residents is None else str(a.residents)
            )
            if s.partly:
                if data.get(f"pick_{a.id}"):
                    picked.setdefault(s.unit.pk, []).append(a.id)
                    values.picked.add(a.id)
                else:
                    continue
            elif a.carried_to:
                continue
            label = f"{a.name} ({s.unit.name})"
            try:
                households = _number(
                    values.households[a.id],
                    _("số hộ của %(area)s") % {"area": label},
                    required=True,
                )
                residents = _number(
                    values.residents[a.id],
                    _("số nhân khẩu của %(area)s") % {"area": label},
                    required=False,
                )
            except ValidationError as exc:
                problems += exc.messages
                continue
            key = name.lower()
            if key not in groups:
                groups[key] = AreaPlan(name, [])
                order.append(key)
                hh_given[key], res_given[key] = [], []
            groups[key].sources.append(a.id)
            hh_given[key].append(households or 0)
            res_given[key].append(residents)
    if problems:
        raise ValidationError(problems)
    for key, ap in groups.items():
        ap.households = sum(hh_given[key])
        given = res_given[key]
        ap.residents = None if None in given else sum(r or 0 for r in given)
    area_of = {aid: key for key, ap in groups.items() for aid in ap.sources}
    team_groups: dict[str, TeamPlan] = {}
    for s in sources:
        for t in s.teams:
            name = " ".join(data.get(f"team_{t.id}", t.name).split())
            values.team_name[t.id] = name
            if not any(aid in area_of for aid in t.area_ids):
                continue
            key = name.lower()
            team_groups.setdefault(key, TeamPlan(name, [])).sources.append(t.id)
    for key, tp in team_groups.items():
        leader = data.get(f"leader::{key}", "")
        values.leaders[key] = leader
        tp.leader = int(leader) if leader.isdigit() else None
        reason = data.get(f"quota::{key}", "").strip()
        values.quota_reasons[key] = reason
        if len(reason) > REASON_LENGTH:
            problems.append(
                _("Lý do vượt định mức của %(team)s dài quá %(n)s ký tự.")
                % {"team": tp.name, "n": REASON_LENGTH}
            )
        tp.over_quota_reason = reason
    if problems:
        raise ValidationError(problems)
    plan = Plan(
        picked=picked,
        areas=[groups[k] for k in order],
        teams=list(team_groups.values()),
        jurisdiction=values.jurisdiction,
        fingerprint=data.get("fingerprint", ""),
    )
    return plan, values


class ReopenForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do mở lại"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Ví dụ: gộp nhầm hai khu dân cư; cần tách lại theo quyết định của UBND xã."
        ),
    )


class ProvinceForm(Form):
    province = forms.IntegerField(widget=forms.HiddenInput)
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ xem trước, không ghi"), required=False)
