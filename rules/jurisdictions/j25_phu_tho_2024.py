"""Phú Thọ (old province 25): Resolutions 02/2024/NQ-HĐND and 03/2024/NQ-HĐND of the provincial
People's Council, 4 June 2024, both in force 1 July 2024.

- NQ 02/2024: one team of 3 members (Tổ trưởng, Tổ phó, Tổ viên) per residential area; in xã and
  thị trấn, areas of 350 households or more get one more member per full ½ × 350 = 175 extra
  households; in phường, areas of 500 or more one more per full ⅓ × 500 extra households. The
  step is compared exactly (667 households in a phường give 4 members, 666 give 3).
- NQ 03/2024, khoản 1: monthly support 1,100,000 / 1,050,000 / 1,000,000 VND (điểm a, b, c:
  Tổ trưởng, Tổ phó, Tổ viên), and the concurrent-holding (kiêm nhiệm) cases:
  1. held by a người hoạt động không chuyên trách ở khu dân cư (with or without also being a
     người trực tiếp tham gia hoạt động ở khu dân cư): besides that post's own allowance, 50 % of
     the highest-paid remaining post. This module pays that 50 % when the team role is the
     highest remaining post; when another post (e.g. Đội trưởng dân phòng) pays more, the 50 %
     belongs to that post and the team line is 0, with the reason in the trace;
  2. Tổ trưởng/Tổ phó held by a người trực tiếp tham gia hoạt động ở khu dân cư: 100 % of the
     team rate plus 50 % of the Đội trưởng/Đội phó dân phòng rate;
  3. Tổ viên held by a người trực tiếp tham gia hoạt động ở khu dân cư: 100 % of the team rate;
  4. Tổ trưởng/Tổ phó who is Đội trưởng/Đội phó dân phòng: 100 % plus 50 % of that rate.
  Interpretation (case 2): the extra 50 % is paid only when the member's dân phòng post is
  recorded, and at that post's rate; otherwise case 3's 100 % applies. The rates of the other
  posts are set by other resolutions and entered by an administrator as parameters.

Duty stipends and insurance top-ups are not in the summary: the shared shapes
(``rules.duty``, ``rules.insurance``) name the parameters to enter when they are asked for.

Source: the province's news summary of 11 Jun 2024 (seed 002); the article numbers of the
resolutions were not in it, so citations name the resolution, khoản and điểm only.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from rules import duty, incident
from rules.base import (
    AmountResult,
    AreaFacts,
    CommuneKind,
    ConcurrentPost,
    DutyFacts,
    MemberFacts,
    QuotaResult,
    RuleError,
    TeamRole,
    TraceItem,
)
from rules.insurance import PROVINCE_KEYS
from rules.money import round_vnd
from rules.parameters import ParameterSource, format_value
from rules.quota import banded_with_step

JURISDICTION = "25"
TITLE = "Nghị quyết 02/2024/NQ-HĐND và 03/2024/NQ-HĐND tỉnh Phú Thọ (04/6/2024)"
EFFECTIVE_FROM = datetime.date(2024, 7, 1)
QUOTA_CITATION = "NQ 02/2024/NQ-HĐND tỉnh Phú Thọ"
SUPPORT_CITATION = "NQ 03/2024/NQ-HĐND tỉnh Phú Thọ, khoản 1"

QUOTA_GROUP = {
    CommuneKind.XA: "xa_thi_tran",
    CommuneKind.THI_TRAN: "xa_thi_tran",
    CommuneKind.PHUONG: "phuong",
}
DAN_PHONG = {ConcurrentPost.DOI_TRUONG_DAN_PHONG, ConcurrentPost.DOI_PHO_DAN_PHONG}

PARAMETER_KEYS = [
    *(f"quota.{group}.{part}" for group in ("xa_thi_tran", "phuong")
      for part in ("bands", "step_from", "step_size")),
    "support.to_truong", "support.to_pho", "support.to_vien",
    "concurrent.kct_share", "concurrent.dan_phong_share",
    *(f"post_rate.{post}" for post in ConcurrentPost),
    # Not in the resolutions' summary: an administrator enters them if the province pays them.
    *duty.DUTY_KEYS, *PROVINCE_KEYS, *incident.INCIDENT_KEYS, "partial_month.policy",
]  # fmt: skip


def member_quota(area: AreaFacts, params: ParameterSource, on: datetime.date) -> QuotaResult:
    group = QUOTA_GROUP.get(area.commune_kind)
    if group is None:
        raise RuleError(
            f"NQ 02/2024/NQ-HĐND tỉnh Phú Thọ không quy định số thành viên cho khu dân cư thuộc "
            f"{area.commune_kind.label}."
        )
    p = {
        part: params.get(f"quota.{group}.{part}", jurisdiction=JURISDICTION, on=on)
        for part in ("bands", "step_from", "step_size")
    }
    members, trace = banded_with_step(
        area.households,
        measure="số hộ",
        bands=p["bands"],
        step_from=p["step_from"],
        step_size=p["step_size"],
    )
    return QuotaResult(members, QUOTA_CITATION, tuple(trace), __name__)


def monthly_support(
    member: MemberFacts, params: ParameterSource, month: datetime.date
) -> AmountResult:
    def get(key: str):
        return params.get(key, jurisdiction=JURISDICTION, on=month)

    rate = get(f"support.{member.role}")
    used = [rate]
    posts = member.concurrent_posts
    trace = [
        TraceItem(f"Mức hỗ trợ {member.role.label}", "theo chức danh", rate.shown, rate.citation)
    ]

    if ConcurrentPost.KHONG_CHUYEN_TRACH_KDC in posts:
        share = get("concurrent.kct_share")
        others = sorted(
            posts - {ConcurrentPost.KHONG_CHUYEN_TRACH_KDC, ConcurrentPost.TRUC_TIEP_KDC}
        )
        other_rates = {post: get(f"post_rate.{post}") for post in others}
        used += [share, *other_rates.values()]
        higher = [post for post, value in other_rates.items() if value.value > rate.value]
        if higher:
            best = max(higher, key=lambda post: other_rates[post].value)
            amount = 0
            trace.append(
                TraceItem(
                    "Kiêm nhiệm bởi người hoạt động không chuyên trách ở khu dân cư",
                    f"{share.shown} tính trên chức danh có mức cao nhất: {best.label} "
                    f"({other_rates[best].shown}), không chi từ mức hỗ trợ Tổ bảo vệ ANTT",
                    format_value(0, rate.unit),
                    share.citation,
                )
            )
        else:
            amount = round_vnd(Fraction(rate.value) * Fraction(share.value) / 100)
            trace.append(
                TraceItem(
                    "Kiêm nhiệm bởi người hoạt động không chuyên trách ở khu dân cư",
                    f"{share.shown} × {rate.shown} (chức danh kiêm nhiệm có mức cao nhất)",
                    format_value(amount, rate.unit),
                    share.citation,
                )
            )
    elif member.role in (TeamRole.TO_TRUONG, TeamRole.TO_PHO) and posts & DAN_PHONG:
        share = get("concurrent.dan_phong_share")
        post = max(posts & DAN_PHONG, key=lambda p: get(f"post_rate.{p}").value)
        post_rate = get(f"post_rate.{post}")
        used += [share, post_rate]
        extra = round_vnd(Fraction(post_rate.value) * Fraction(share.value) / 100)
        amount = rate.value + extra
        trace.append(
            TraceItem(
                f"Kiêm {post.label}",
                f"100 % × {rate.shown} + {share.shown} × {post_rate.shown}",
                format_value(amount, rate.unit),
                share.citation,
            )
        )
    else:
        amount = rate.value
        if posts:
            held = ", ".join(p.label for p in sorted(posts))
            trace.append(
                TraceItem(
                    "Kiêm nhiệm",
                    f"{held}: hưởng 100 % mức của chức danh trong Tổ",
                    rate.shown,
                    rate.citation,
                )
            )
    trace.append(
        TraceItem("Số tiền hỗ trợ tháng", "", format_value(amount, rate.unit), SUPPORT_CITATION)
    )
    return AmountResult(amount, SUPPORT_CITATION, tuple(trace), __name__, tuple(used))


def duty_stipend(duty_facts: DutyFacts, params: ParameterSource, on: datetime.date) -> AmountResult:
    return duty.duty_stipend(
        duty_facts, params, on, jurisdiction=JURISDICTION, citation=SUPPORT_CITATION,
        module=__name__,
    )  # fmt: skip


INCIDENT_CITATION = "NQ 03/2024/NQ-HĐND tỉnh Phú Thọ: hỗ trợ thành viên chưa tham gia BHXH, BHYT (mức do HĐND tỉnh quy định, nhập khi có văn bản)"


def uninsured_incident(
    params: ParameterSource,
    on: datetime.date,
    *,
    inpatient_days: int = 0,
    died: bool = False,
    capacity_loss: int = 0,
) -> AmountResult:
    """Members without insurance (Law 30/2023 Art. 24, Decree 40/2024 Art. 5): the meal
    allowance per in-patient day and the death and funeral amounts are provincial parameters
    (``incident.*``); the error names the one to enter while it is missing."""
    return incident.uninsured_incident(
        jurisdiction=JURISDICTION, on=on, params=params, inpatient_days=inpatient_days,
        died=died, capacity_loss=capacity_loss, citation=INCIDENT_CITATION, module=__name__,
    )  # fmt: skip
