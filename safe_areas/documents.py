"""The documents of the "An toàn về an ninh, trật tự" work, as fully evaluated structures for
core.documents (Decree 30/2020 layout): the yearly summary of a unit and the commune's yearly
report on the 2025–2030 plan (seed 003). Nothing here writes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.charts import Bar, BarChart, Column, ColumnChart
from core.documents import Letterhead, Signature, place_name
from teams.models import AdministrativeUnit, Level, User

from . import selectors


def _province(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    if unit.level == Level.PROVINCE:
        return unit
    return AdministrativeUnit.objects.filter(
        path__in=unit.ancestor_paths, level=Level.PROVINCE
    ).first()


def _issuer(unit: AdministrativeUnit) -> tuple[str, str, Signature, list[str]]:
    province = _province(unit)
    province_name = province.name if province else ""
    if unit.level == Level.COMMUNE:
        return (
            f"ỦY BAN NHÂN DÂN {unit.name.upper()}",
            "/BC-UBND",
            Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
            ["TT Đảng ủy, HĐND xã", f"Công an {province_name}", "Lưu: VT, CAX"],
        )
    return (
        f"CÔNG AN {unit.name.upper()}",
        "/BC-CAT" if unit.level == Level.PROVINCE else "/BC-CAH",
        Signature("GIÁM ĐỐC" if unit.level == Level.PROVINCE else "TRƯỞNG CÔNG AN"),
        [f"UBND {province_name}", "Lưu: VT, PV05"],
    )


def charts(summary: selectors.Summary) -> dict:
    """The on-screen charts of the summary (the dashboard's style, core.charts)."""
    communes = BarChart(
        title="Khu dân cư được công nhận / tổng số khu dân cư",
        bars=[
            Bar(label=c.commune.name, value=c.recognised, reference=c.areas)
            for c in summary.communes
        ],
    )
    failed = BarChart(
        title="Khu dân cư chưa đạt, theo tiêu chí",
        bars=[Bar(label=c.code, value=n, note=c.text[:40]) for c, n in summary.failed_by_criterion],
    )
    models = BarChart(
        title="Mô hình tự quản đang hoạt động, theo lĩnh vực",
        bars=[Bar(label=label, value=n) for label, n in summary.models_by_field],
    )
    years = {y: (reg, rec) for y, reg, rec in summary.by_year}
    by_year = ColumnChart(
        title="Khu dân cư được công nhận qua các năm (kế hoạch 2025–2030)",
        columns=[
            Column(label=str(y), value=years.get(y, (0, 0))[1], shown=str(years.get(y, (0, 0))[1]))
            for y in range(selectors.FIRST_PLAN_YEAR, selectors.LAST_PLAN_YEAR + 1)
        ],
    )
    return {"communes_chart": communes, "failed_chart": failed, "models_chart": models,
            "years_chart": by_year}  # fmt: skip


def summary_context(
    *, actor: User, unit: AdministrativeUnit, year: int, today: datetime.date | None = None
) -> dict:
    summary = selectors.summary(actor=actor, unit=unit, year=year)
    body, code, signature, recipients = _issuer(unit)
    return {
        "summary": summary,
        "unit": unit,
        "year": year,
        "window": selectors.area_year_window(year),
        "letterhead": Letterhead(
            issuing_body=body,
            place=place_name(unit.name),
            date=today or timezone.localdate(),
            title="BÁO CÁO",
            subject=(
                "Tổng hợp kết quả xây dựng khu dân cư, xã, cơ quan, doanh nghiệp, cơ sở giáo "
                f"dục đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}"
            ),
            number=f"       {code}",
        ),
        "signatures": [signature],
        "recipients": recipients,
        "landscape": True,
    }


def commune_report_context(
    *, commune: AdministrativeUnit, year: int, today: datetime.date | None = None
) -> dict:
    """The commune's yearly report on the plan of seed 003: registration, recognition with the
    failed criteria, agencies, models, the commune's own criteria, year over year."""
    rows = selectors.commune_area_rows(commune=commune, year=year)
    commune_year = selectors.commune_year_of(commune=commune, year=year)
    body, code, signature, recipients = _issuer(commune)
    years = []
    for y in range(selectors.FIRST_PLAN_YEAR, selectors.LAST_PLAN_YEAR + 1):
        share = selectors.share_for(commune=commune, year=y)
        years.append((y, share))
    return {
        "commune": commune,
        "year": year,
        "window": selectors.area_year_window(year),
        "rows": rows,
        "registered": [r for r in rows if r.area_year],
        "households": sum(r.area.households for r in rows),
        "households_registered": sum(
            r.area_year.households_registered for r in rows if r.area_year
        ),
        "recognised": [r for r in rows if r.area_year and r.area_year.state == "recognised"],
        "failing": [r for r in rows if r.evaluation and r.evaluation.failed],
        "establishments": selectors.commune_establishments(commune=commune, year=year),
        "models": list(selectors.commune_models(commune=commune)),
        "commune_year": commune_year,
        "commune_evaluation": selectors.commune_evaluation(
            commune=commune, year=year, commune_year=commune_year
        ),
        "share": selectors.share_for(commune=commune, year=year),
        "years": years,
        "letterhead": Letterhead(
            issuing_body=body,
            place=place_name(commune.name),
            date=today or timezone.localdate(),
            title="BÁO CÁO",
            subject=(
                "Kết quả thực hiện Kế hoạch mô hình tự quản ở khu dân cư giai đoạn 2025–2030 và "
                f"xây dựng khu dân cư đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}"
            ),
            number=f"       {code}",
        ),
        "signatures": [signature],
        "recipients": recipients,
    }
