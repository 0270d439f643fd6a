"""Render a unit's report PDF from the command line, exactly as the web page does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.formatting import format_date
from reporting import documents, selectors
from reporting.periods import Period, PeriodKind
from teams.models import AdministrativeUnit


def unit_in_period(code: str, period: Period) -> AdministrativeUnit:
    """The unit with official `code` that existed during the period's window.

    Codes were reused across the 2025 reorganisation (25 is old and new Phú Thọ), so the
    period decides: the unit valid at the end of the window, else any valid during it.
    """
    candidates = list(
        AdministrativeUnit.objects.filter(code=code)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.window_end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.window_start))
    )
    if not candidates:
        raise CommandError(
            f"Không có đơn vị mã {code} tồn tại trong kỳ {period.label} "
            f"({format_date(period.window_start)}–{format_date(period.window_end)})."
        )
    at_end = [u for u in candidates if u.is_valid_on(period.window_end)]
    chosen = at_end or candidates
    if len(chosen) > 1:
        names = "; ".join(f"{u.name} ({u.get_level_display()})" for u in chosen)
        raise CommandError(f"Mã {code} chỉ nhiều đơn vị trong kỳ này: {names}.")
    return chosen[0]


class Command(BaseCommand):
    help = "Xuất báo cáo tháng/năm của một đơn vị ra tệp PDF (như trên trang web)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=["monthly", "annual"])
        parser.add_argument("--unit", required=True, help="Mã đơn vị hành chính (mã chính thức).")
        parser.add_argument("--period", required=True, help="YYYY-MM (tháng) hoặc YYYY (năm).")
        parser.add_argument("--output", required=True, help="Tệp PDF cần ghi.")

    def handle(self, *args, kind: str, unit: str, period: str, output: str, **options):
        try:
            p = Period.parse(period, selectors.reporting_rules())
        except ValueError:
            raise CommandError(f"Kỳ báo cáo không hợp lệ: {period!r}.") from None
        if p.kind != PeriodKind(kind):
            raise CommandError(
                f"Kỳ {period!r} không phải kỳ báo cáo {'tháng (YYYY-MM)' if kind == 'monthly' else 'năm (YYYY)'}."
            )
        target = unit_in_period(unit.strip(), p)
        report = selectors.report_or_unsaved(target, p)
        content, _filename = documents.report_pdf(report=report, period=p)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}.") from None
        self.stdout.write(
            f"{target.name} ({target.get_tree_display()}) · {p.label}: {path} ({len(content):,} byte)"
        )
