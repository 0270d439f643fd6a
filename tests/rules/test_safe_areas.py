"""The "An toàn về an ninh, trật tự" criteria as data (Circular 124/2021/TT-BCA): dates,
citations, the evaluation windows and the 100 % / 70 % computation at its boundaries. No
database."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from core.periods import EvaluationYear
from rules import safe_areas as sa
from rules.base import RuleError

D = datetime.date
CAT = sa.load_catalogue()
P2025 = EvaluationYear(2025)


def test_every_criterion_is_dated_and_cited():
    assert CAT.criteria
    for c in CAT.criteria:
        assert c.citation.startswith("Thông tư 124/2021/TT-BCA, Điều "), c.code
        assert c.valid_from == D(2022, 2, 10), c.code  # in force 10/02/2022
        assert c.text.strip()
        if not c.verified:
            assert "CHƯA XÁC MINH" in c.note


def test_area_criteria_follow_article_4():
    codes = [c.code for c in CAT.for_subject(sa.Subject.AREA, on=D(2025, 6, 1))]
    assert codes[:3] == ["KDC-1", "KDC-2", "KDC-3a"]
    assert {"KDC-3b", "KDC-3c", "KDC-3d", "KDC-3đ", "KDC-3e", "KDC-3g"} <= set(codes)
    # clause 4 and 5 and the rest of clause 3 have room, marked unverified
    unverified = {c.code for c in CAT.criteria if not c.verified}
    assert {"KDC-3-khac", "KDC-4", "KDC-5"} <= unverified


def test_commune_criteria_follow_article_5():
    kinds = {c.code: c.kind for c in CAT.for_subject(sa.Subject.COMMUNE, on=D(2025, 6, 1))}
    assert kinds == {
        "XA-1": sa.Kind.COMMUNE_REGISTRATION,
        "XA-2": sa.Kind.ASSESSED,
        "XA-3": sa.Kind.DISCIPLINE,
        "XA-4": sa.Kind.SHARE,
    }


def test_before_the_circular_there_is_no_criterion():
    with pytest.raises(RuleError, match="09/02/2022"):
        CAT.for_subject(sa.Subject.AREA, on=D(2022, 2, 9))
    assert CAT.for_subject(sa.Subject.AREA, on=D(2022, 2, 10))


def test_a_province_adds_its_own_criterion_as_data(tmp_path):
    (tmp_path / "t124.toml").write_text(
        (sa.CRITERIA_DIR / "t124_2021.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "p51.toml").write_text(
        'province = "51"\n[[criterion]]\ncode = "QNG-1"\nsubject = "area"\nkind = "assessed"\n'
        'text = "Không có cháy rừng do người dân gây ra."\n'
        'citation = "Quyết định thử nghiệm của UBND tỉnh, Điều 2"\nfrom = 2025-07-01\n',
        encoding="utf-8",
    )
    cat = sa.load_catalogue(tmp_path)
    ours = [c.code for c in cat.for_subject(sa.Subject.AREA, on=D(2025, 8, 1), province="51")]
    assert ours[-1] == "QNG-1"
    # not before its date, not in another province
    assert "QNG-1" not in [
        c.code for c in cat.for_subject(sa.Subject.AREA, on=D(2025, 6, 30), province="51")
    ]
    assert "QNG-1" not in [
        c.code for c in cat.for_subject(sa.Subject.AREA, on=D(2025, 8, 1), province="92")
    ]


def test_a_criterion_without_citation_is_refused():
    with pytest.raises(ValueError, match="thiếu trường citation"):
        sa.parse_catalogue(
            [("x.toml", {"criterion": [{"code": "A", "subject": "area", "kind": "assessed",
                                        "text": "t", "from": D(2025, 1, 1)}]})]
        )  # fmt: skip


def test_evaluation_periods():
    assert (P2025.start, P2025.end) == (D(2024, 11, 1), D(2025, 10, 31))
    commune = EvaluationYear(2025, 16, 11)
    assert (commune.start, commune.end) == (D(2024, 11, 16), D(2025, 11, 15))
    assert EvaluationYear.of(D(2025, 10, 31)).year == 2025
    assert EvaluationYear.of(D(2025, 11, 1)).year == 2026
    assert EvaluationYear.of(D(2025, 11, 15), start_day=16).year == 2025
    assert EvaluationYear.of(D(2025, 11, 16), start_day=16).year == 2026
    assert sa.quarter_one(P2025) == (D(2025, 1, 1), D(2025, 3, 31))
    assert P2025.quarter_one.label == "Quý 1/2025"
    assert P2025.label == "Năm 2025 (01/11/2024 – 31/10/2025)"


def _reg(**kw):
    values = dict(
        resolution_number="05-NQ/CB",
        resolution_date=D(2025, 1, 10),
        registered_on=D(2025, 1, 15),
        households_registered=120,
        households_total=120,
    )
    values.update(kw)
    return sa.Registration(**values)


def _all_met(criteria):
    return {c.code: sa.Answer(True) for c in criteria}


AREA = CAT.for_subject(sa.Subject.AREA, on=D(2025, 6, 1))


def test_a_complete_year_passes():
    ev = sa.evaluate_area(AREA, period=P2025, registration=_reg(), answers=_all_met(AREA))
    assert ev.passed and not ev.failed


def test_one_household_missing_fails_registration_and_says_how_many():
    ev = sa.evaluate_area(
        AREA, period=P2025, registration=_reg(households_registered=119), answers=_all_met(AREA)
    )
    assert not ev.passed
    (failed,) = ev.failed
    assert failed.criterion.code == "KDC-1"
    assert "Còn 1/120 hộ chưa đăng ký" in failed.reasons[0]


@pytest.mark.parametrize(
    "day, ok", [(D(2024, 12, 31), False), (D(2025, 1, 1), True), (D(2025, 3, 31), True),
                (D(2025, 4, 1), False)],
)  # fmt: skip
def test_registration_must_be_in_quarter_one(day, ok):
    reasons = sa.registration_reasons(_reg(registered_on=day, resolution_date=day), P2025)
    assert (not reasons) is ok


def test_an_event_fails_its_criterion_whatever_the_self_assessment_says():
    events = [sa.Event("KDC-3e", D(2025, 5, 3), "Tranh chấp đất kéo dài giữa hai dòng họ")]
    ev = sa.evaluate_area(
        AREA, period=P2025, registration=_reg(), events=events, answers=_all_met(AREA)
    )
    (failed,) = ev.failed
    assert failed.criterion.code == "KDC-3e"
    assert failed.reasons == ("Ngày 03/05/2025: Tranh chấp đất kéo dài giữa hai dòng họ",)


def test_an_event_outside_the_period_does_not_count():
    for day in (D(2024, 10, 31), D(2025, 11, 1)):
        ev = sa.evaluate_area(
            AREA,
            period=P2025,
            registration=_reg(),
            events=[sa.Event("KDC-3a", day, "x")],
            answers=_all_met(AREA),
        )
        assert ev.passed, day
    ev = sa.evaluate_area(
        AREA, period=P2025, registration=_reg(),
        events=[sa.Event("KDC-3a", D(2024, 11, 1), "x")], answers=_all_met(AREA),
    )  # fmt: skip
    assert not ev.passed


def test_unanswered_criteria_are_not_a_pass():
    ev = sa.evaluate_area(AREA, period=P2025, registration=_reg(), answers={})
    assert not ev.passed and ev.unanswered and not ev.failed


# --- 100 % / 70 % -------------------------------------------------------------------------


def share(total, registered, recognised):
    return sa.commune_share(
        total=total, registered=registered, recognised=recognised, on=D(2025, 11, 15)
    )


def test_seventy_percent_is_enough():
    result = share(10, 10, 7)
    assert result.met and result.recognised_share == Fraction(7, 10)
    assert result.citation == "Thông tư 124/2021/TT-BCA, Điều 5, khoản 4"


def test_sixty_nine_point_nine_percent_is_not():
    result = share(1000, 1000, 699)
    assert not result.met
    assert result.reasons == ["Mới 699/1000 đơn vị được công nhận (69,9 %); cần từ 70 % trở lên."]


def test_just_under_seventy_in_exact_arithmetic():
    # 69.99… % must not round up to 70 %
    assert not share(10001, 10001, 7000).met
    assert share(10000, 10000, 7000).met


def test_one_unregistered_area_fails_even_when_all_others_are_recognised():
    result = share(10, 9, 9)
    assert not result.met
    assert result.reasons == ["Mới 9/10 đơn vị đăng ký (90 %); cần 100 %."]


def test_nothing_to_count_is_not_a_pass():
    assert not share(0, 0, 0).met


def test_impossible_counts_are_refused():
    with pytest.raises(RuleError):
        share(10, 5, 6)


def test_percent_label():
    assert sa.percent_label(Fraction(699, 1000)) == "69,9 %"
    assert sa.percent_label(Fraction(7, 10)) == "70 %"
    assert sa.percent_label(Fraction(2, 3)) == "66,7 %"
