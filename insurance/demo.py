"""Demo insurance support: enrolments and a few quarters of funding lists walked through the
procedure of seed 000.

- old Phú Thọ, district Lâm Thao (Tiên Kiên, Xuân Lũng, TT Lâm Thao, TT Hùng Sơn): 2024 Q3 –
  2025 Q2 listed by the commune, checked and co-signed with BHXH Lâm Thao (bhxh_huyen),
  approved and advanced by the district finance office (taichinh_huyen) and settled; Xuân
  Lũng's 2024 Q4 list is returned once by BHXH and resubmitted; Hùng Sơn's 2025 Q2 list waits
  for finance, TT Lâm Thao's 2025 Q2 list waits for BHXH;
- new Cần Thơ, Mỹ Tú (rules of 94): 2025 Q3 – 2026 Q3 approved by the commune's own economic
  office (taichinh_ct) after BHXH (bhxh_ct) co-signed, settled up to 2026 Q2, 2026 Q3
  advanced; the current quarter is a draft. New Xã Lâm Thao (Phú Thọ) likewise, with
  taichinh_xa_moi and bhxh_phutho: the members carried over keep their enrolments, and the
  months of state support they used in the old towns count on.
- one approved injury of an uninsured member in Tiên Kiên, one sickness in Mỹ Tú waiting.

Neither province's top-up for VSI/HI nor its incident amounts are in this project's sources:
the demo enters them as demonstration values (rules.models.Parameter, origin "admin", with
`DEMO_NOTE`), the way a provincial administrator would enter the real ones.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.periods import Quarter
from core.setsql import update_by_pk
from rules.models import Parameter
from teams.demo import demo_communes, removal, touched_communes
from teams.models import Assignment, Membership, Role, Tree, User

from . import services
from .models import (
    FundingAction,
    FundingList,
    HiEnrolment,
    HiGroup,
    HouseholdCertificate,
    Incident,
    IncidentDocument,
    ListState,
    VsiEnrolment,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
LEGACY_CODES = ("08497", "08500", "08494", "08498")  # district Lâm Thao (237)
# Mỹ Tú, and new Xã Lâm Thao (Phú Thọ), whose members' enrolments continue from Thị trấn Lâm
# Thao and Thị trấn Hùng Sơn (codes repeat across the trees: 08494 is both).
CURRENT_CODES = ("31567", "08494")
LEGACY_QUARTERS = (D(2024, 7, 1), D(2025, 4, 1))
CURRENT_QUARTERS = (D(2025, 7, 1), D(2026, 7, 1))
DEMO_NOTE = "Giá trị trình diễn do seed_demo nhập (bảo hiểm), không phải số liệu chính thức."
DEMO_PARAMETERS = [
    # (key, value, unit, citation)
    ("vsi.province.mode", "none", "choice", "Dữ liệu trình diễn: tỉnh không hỗ trợ thêm"),
    ("hi.province.mode", "fixed", "choice", "Dữ liệu trình diễn: tỉnh hỗ trợ mức cố định BHYT"),
    ("hi.province.amount", "15000", "vnd", "Dữ liệu trình diễn: 15.000 đ/tháng"),
    ("incident.inpatient_meal_per_day", "70000", "vnd", "Dữ liệu trình diễn: tiền ăn nội trú"),
    ("incident.death", "50000000", "vnd", "Dữ liệu trình diễn: trợ cấp khi chết"),
    ("incident.funeral", "15000000", "vnd", "Dữ liệu trình diễn: trợ cấp mai táng"),
]
INCOMES = [1_500_000, 1_500_000, 1_500_000, 1_800_000, 2_000_000, 2_500_000]


def _quarters(first: datetime.date, last: datetime.date):
    quarter = Quarter.of(first)
    while quarter.first_day <= last:
        yield quarter.first_day
        quarter = quarter.next()


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def seed_parameters() -> None:
    admin = User.objects.get(username="admin")
    for jurisdiction in ("25", "94"):
        for key, value, unit, citation in DEMO_PARAMETERS:
            Parameter.objects.get_or_create(
                key=key,
                jurisdiction=jurisdiction,
                effective_from=D(2024, 7, 1),
                defaults={
                    "value": value,
                    "unit": unit,
                    "source": "demo",
                    "note": DEMO_NOTE,
                    "citation": citation,
                    "origin": Parameter.Origin.ADMIN,
                    "created_by": admin,
                },
            )


def _enrol(rng: random.Random, communes) -> dict[str, int]:
    """Most current members in VSI, many in HI; a few poor / near-poor certificates."""
    memberships = list(
        Membership.objects.filter(team__commune__in=communes, end_date__isnull=True)
        .select_related("team__commune", "person")
        .order_by("pk")
    )
    vsi, hi, certificates, seen = [], [], [], set()
    for m in memberships:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        legacy = m.team.commune.tree == Tree.LEGACY
        law = D(2024, 7, 1) if legacy else D(2025, 7, 1)
        start = max(m.start_date, law)
        if rng.random() < 0.85:
            vsi.append(
                VsiEnrolment(
                    person=m.person,
                    book_number=f"{rng.randint(10**9, 10**10 - 1)}",
                    income=rng.choice(INCOMES),
                    payment_mode=rng.choice([1, 1, 1, 3, 6, 12]),
                    start_date=start,
                    months_supported_before=rng.choice([0, 0, 0, 12, 60, 118]),
                )
            )
        if rng.random() < 0.7:
            hi.append(
                HiEnrolment(
                    person=m.person,
                    card_number=f"GD4{m.team.commune.jurisdiction}{rng.randint(10**9, 10**10 - 1)}",
                    group=HiGroup.ANTT,
                    start_date=start,
                )
            )
        if rng.random() < 0.08:
            certificates.append(
                HouseholdCertificate(
                    person=m.person,
                    group=rng.choice(["poor", "near_poor"]),
                    valid_from=D(start.year, 1, 1),
                    valid_to=D(start.year, 12, 31),
                    reference=f"{rng.randint(1, 300)}/GCN-UBND",
                )
            )
    VsiEnrolment.objects.bulk_create(vsi)
    HiEnrolment.objects.bulk_create(hi)
    HouseholdCertificate.objects.bulk_create(certificates)
    return {"vsi": len(vsi), "hi": len(hi)}


def _officers() -> tuple[dict, dict, dict]:
    officers, finance, bhxh = {}, {}, {}
    for a in Assignment.objects.select_related("user", "unit"):
        target = {
            Role.COMMUNE_OFFICER: officers,
            Role.FINANCE_OFFICER: finance,
            Role.INSURANCE_OFFICER: bhxh,
        }.get(a.role)
        if target is not None:
            target[a.unit_id] = a.user
    return officers, finance, bhxh


def _up(commune, by_unit: dict):
    """The officer at the commune or the nearest unit above it."""
    unit = commune
    while unit is not None:
        if unit.pk in by_unit:
            return by_unit[unit.pk]
        unit = unit.parent
    return None


def _insured_communes():
    return [
        c
        for c in demo_communes()
        if c.code in (LEGACY_CODES if c.tree == Tree.LEGACY else CURRENT_CODES)
    ]


@transaction.atomic
def seed_enrolments(*, rng: random.Random) -> dict[str, int]:
    """The enrolments, made before the 2025 carry-over (seed_demo runs this right after the
    rosters): the members whom new Xã Lâm Thao takes over were enrolled in their old towns,
    and their enrolments carry on across 30/06/2025."""
    return _enrol(rng, _insured_communes())


@transaction.atomic
def seed_insurance(*, rng: random.Random) -> dict[str, int]:
    """The quarterly lists and incidents (after the runs; the enrolments come first)."""
    seed_parameters()
    communes = _insured_communes()
    totals = {"lists": 0, "approved": 0, "incidents": 0}
    officers, finance, bhxh = _officers()
    today = timezone.localdate()
    for commune in communes:
        legacy = commune.tree == Tree.LEGACY
        first, last = LEGACY_QUARTERS if legacy else CURRENT_QUARTERS
        last = min(last, Quarter.of(today).first_day)
        people = (officers[commune.pk], _up(commune, bhxh), _up(commune, finance))
        for quarter in _quarters(first, last):
            funding_list = services.funding_list_compute(
                commune=commune, quarter=quarter, actor=people[0]
            )
            totals["lists"] += 1
            stop = None
            if quarter == LEGACY_QUARTERS[1] and commune.code == "08498":
                stop = ListState.SIGNED  # waits in the finance queue
            elif quarter == LEGACY_QUARTERS[1] and commune.code == "08494":
                stop = ListState.SUBMITTED  # waits for BHXH
            _walk(funding_list, people, rng, stop=stop, today=today)
            totals["approved"] += funding_list.is_approved
        if not legacy and Quarter.of(today).first_day > last:
            services.funding_list_compute(
                commune=commune, quarter=Quarter.of(today).first_day, actor=people[0]
            )
            totals["lists"] += 1
    totals["incidents"] = _incidents(communes, officers, finance)
    return totals


def _walk(funding_list, people, rng, *, stop, today) -> None:
    """The list's steps, each checked as `funding_list_transition` checks it
    (`funding_list_step_check`), written together up to the advance (one INSERT of the
    actions and one UPDATE of the list, not three queries per step); the settlement, which
    carries its difference into the next open list, goes through the service."""
    officer, insurer, approver = people
    quarter = funding_list.quarter
    actions: list[FundingAction] = []
    fields: dict = {}

    def step(action, actor, comment="", **inputs):
        state = services.funding_list_step_check(
            funding_list=funding_list,
            state=funding_list.state,
            action=action,
            actor=actor,
            comment=comment,
            **inputs,
        )
        actions.append(
            FundingAction(
                funding_list=funding_list,
                actor=actor,
                from_state=funding_list.state,
                to_state=state,
                comment=comment.strip(),
            )
        )
        funding_list.state = fields["state"] = state

    step("submit", officer)
    days = {ListState.SUBMITTED: quarter - datetime.timedelta(days=12)}
    if funding_list.commune.code == "08500" and quarter == D(2024, 10, 1):
        step(
            "return",
            insurer,
            comment="Đề nghị bổ sung số thẻ BHYT và số sổ BHXH của thành viên mới, "
            "đối chiếu lại mức thu nhập đã đăng ký.",
        )
        step("submit", officer)
        days[ListState.RETURNED] = quarter - datetime.timedelta(days=10)
    if stop != ListState.SUBMITTED:
        for action, actor in (
            ("verify", insurer),
            ("sign_commune", officer),
            ("sign_bhxh", insurer),
        ):
            step(action, actor)
        days |= {
            ListState.VERIFIED: quarter - datetime.timedelta(days=7),
            ListState.COMMUNE_SIGNED: quarter - datetime.timedelta(days=6),
            ListState.SIGNED: quarter - datetime.timedelta(days=5),
        }
    settle = None
    if stop is None:
        step("approve", approver)
        requested = services.list_totals(funding_list)["requested"]
        advanced_on = quarter + datetime.timedelta(days=4)
        number = f"UNC {rng.randint(100, 999)}/{quarter.year}"
        step("advance", approver, document_number=number, amount=requested)
        fields |= {
            "advance_number": number.strip(),
            "advance_date": advanced_on,
            "advance_amount": requested,
        }
        days |= {
            ListState.APPROVED: quarter - datetime.timedelta(days=2),
            ListState.ADVANCED: advanced_on,
        }
        end = Quarter.of(quarter).last_day
        if today > end and not (
            funding_list.commune.code == "31567" and quarter.year == 2026 and quarter.month == 7
        ):
            settled_on = end + datetime.timedelta(days=20)
            # A member who stopped paying: the actual amount is a little below the advance.
            actual = requested - rng.choice([0, 0, 33_000, 66_000])
            settle = (max(actual, 0), settled_on)
            days[ListState.SETTLED] = settled_on
    FundingAction.objects.bulk_create(actions)
    FundingList.objects.filter(pk=funding_list.pk).update(**fields)
    if settle is not None:
        services.funding_list_transition(
            funding_list=funding_list,
            action="settle",
            actor=approver,
            amount=settle[0],
            day=settle[1],
        )
    FundingList.objects.filter(pk=funding_list.pk).update(
        computed_at=_moment(quarter - datetime.timedelta(days=14), 8),
        approved_at=_moment(days[ListState.APPROVED]) if ListState.APPROVED in days else None,
    )
    moments = {}
    for pk, from_state, to_state in FundingAction.objects.filter(
        funding_list=funding_list
    ).values_list("pk", "from_state", "to_state"):
        day = days.get(to_state, quarter - datetime.timedelta(days=12))
        if to_state == ListState.SUBMITTED and from_state == ListState.RETURNED:
            day = quarter - datetime.timedelta(days=9)
        moments[pk] = _moment(day, 9 + pk % 7)
    update_by_pk(FundingAction, "at", moments)  # each action's time in one UPDATE
    funding_list.refresh_from_db()


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _uninsured(commune, day):
    insured = list(VsiEnrolment.objects.values_list("person_id", flat=True)) + list(
        HiEnrolment.objects.values_list("person_id", flat=True)
    )
    return (
        Membership.objects.filter(team__commune=commune, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(person_id__in=insured)
        .select_related("person", "team__commune")
        .order_by("pk")
        .first()
    )


def _incidents(communes, officers, finance) -> int:
    count = 0
    by_code = {c.code: c for c in communes}
    for code, day, kind, medical, days, approve in (
        ("08497", D(2024, 11, 16), "injury", 3_250_000, 5, True),
        ("31567", D(2026, 10, 8), "sickness", 1_200_000, 3, False),
    ):
        commune = by_code.get(code)
        membership = _uninsured(commune, day) if commune else None
        if membership is None:
            continue
        officer = officers[commune.pk]
        incident = services.incident_save(
            data=services.IncidentData(
                membership=membership,
                kind=kind,
                occurred_on=day,
                description="Bị thương khi cùng Công an xã tuần tra, truy đuổi đối tượng trộm cắp "
                "tài sản ban đêm."
                if kind == "injury"
                else "Sốt xuất huyết trong đợt trực bảo vệ an ninh, trật tự dịp lễ hội.",
                medical_costs=medical,
                inpatient_days=days,
            ),
            actor=officer,
        )
        document = IncidentDocument(
            incident=incident, title="Giấy ra viện và hóa đơn viện phí", uploaded_by=officer
        )
        document.file.save("giay-ra-vien.pdf", ContentFile(DEMO_PDF), save=True)
        services.incident_transition(incident=incident, action="submit", actor=officer)
        if approve:
            services.incident_transition(
                incident=incident,
                action="approve",
                actor=_up(commune, finance),
                decision_number="215/QĐ-UBND",
            )
        count += 1
    return count


@removal()
def remove_insurance() -> None:
    Parameter.objects.filter(note=DEMO_NOTE).delete()
    communes = touched_communes()
    documents = IncidentDocument.objects.filter(incident__commune__in=communes)
    for document in documents:
        document.file.delete(save=False)
    Incident.objects.filter(commune__in=communes).delete()
    FundingList.objects.filter(commune__in=communes).delete()
    people = Membership.objects.filter(team__commune__in=communes).values("person_id")
    VsiEnrolment.objects.filter(person_id__in=people).delete()
    HiEnrolment.objects.filter(person_id__in=people).delete()
    HouseholdCertificate.objects.filter(person_id__in=people).delete()
