"""Mediation's spreadsheets: the remuneration list, the yearly report and the statistics (one
small class per export, core.exporters; the views hand them what the page shows)."""

from core.exporters import Exporter


class PaymentExporter(Exporter):
    identifier = "thu-lao-hoa-giai"
    verbose_name = "Thù lao hòa giải"
    widths = (6, 30, 8, 13, 18, 34, 14, 50)

    def __init__(self, sheet):
        self.sheet = sheet

    def rows(self):
        yield [
            "STT",
            "Tổ hòa giải",
            "Số vụ việc",
            "Ngày kết thúc",
            "Kết quả",
            "Hòa giải viên",
            "Số tiền (đồng)",
            "Căn cứ",
        ]
        for i, line in enumerate(self.sheet["lines"], start=1):
            yield [
                i,
                line.team_name,
                line.case_number,
                line.closed_on,
                line.get_outcome_display(),
                line.mediators,
                line.amount,
                line.error or "; ".join(t["citation"] for t in line.trace if t.get("citation")),
            ]


class ReportExporter(Exporter):
    identifier = "bao-cao-hoa-giai"
    verbose_name = "Báo cáo hòa giải"
    widths = (44, 14, 14, 14, 22, 12)

    def __init__(self, context):
        self.context = context
        self.title_lines = (context["letterhead"].subject, context["unit"].name)

    def rows(self):
        ind = self.context["contents"]["indicators"]
        yield ["Chỉ tiêu", "Đạt", "Trên tổng số", "Tỷ lệ", "Chỉ tiêu kế hoạch", "Đạt chỉ tiêu"]
        for i in ind.rows:
            yield [
                i.label,
                i.numerator,
                i.denominator,
                i.percent,
                i.target_text,
                "" if i.met is None else ("Đạt" if i.met else "Chưa đạt"),
            ]
        yield ["Vụ việc tiếp nhận", ind.received, "", "", "", ""]
        yield ["Hòa giải thành", ind.success_cases, "", "", "", ""]
        yield ["Hòa giải không thành", ind.failure_cases, "", "", "", ""]
        yield ["Đang giải quyết (không tính vào tỷ lệ)", ind.open_cases, "", "", "", ""]
        yield ["Tổ chưa đủ thành phần (Luật Điều 12)", ind.below_composition, "", "", "", ""]
        for row in self.context["contents"]["budget"]:
            yield [
                f"Kinh phí: {row['label']}",
                row["planned"],
                row["spent"] if row["spent"] is not None else "",
                "",
                "dự toán / đã chi",
                "",
            ]
        for child in self.context["children"]:
            r = child["report"]
            state = (
                "Chưa gửi" if r is None or not r.sent_on else ("Gửi muộn" if r.late else "Đúng hạn")
            )
            yield [
                child["unit"].name,
                child["indicators"].success_cases,
                child["indicators"].success.denominator,
                child["indicators"].success.percent,
                state,
                "",
            ]


class StatisticsExporter(Exporter):
    identifier = "thong-ke-hoa-giai"
    verbose_name = "Thống kê hòa giải"
    widths = (40, 12, 12, 12, 12)

    def __init__(self, unit, stats):
        self.stats = stats
        p = stats["period"]
        self.title_lines = (
            f"THỐNG KÊ HÒA GIẢI Ở CƠ SỞ — {p.label.upper()}",
            unit.name,
            f"Số liệu từ {p.data_window.start:%d/%m/%Y} đến {p.data_window.end:%d/%m/%Y}",
        )

    def rows(self):
        ind = self.stats["indicators"]
        yield ["Loại vụ việc", "Tiếp nhận", "Thành", "Không thành", "Đang giải quyết"]
        for t in self.stats["types"]:
            yield [t["label"], t["received"], t["success"], t["failure"], t["open"]]
        yield ["Tổng cộng", ind.received, ind.success_cases, ind.failure_cases, ind.open_cases]
        yield ["", "", "", "", ""]
        yield ["Căn cứ tiến hành", "Số vụ việc", "", "", ""]
        for o in self.stats["origins"]:
            yield [o["label"], o["n"], "", "", ""]
        yield ["", "", "", "", ""]
        yield ["Chỉ tiêu", "Đạt", "Trên tổng số", "Tỷ lệ", "Chỉ tiêu kế hoạch"]
        for i in ind.rows:
            yield [i.label, i.numerator, i.denominator, i.percent, i.target_text]
        if self.stats["children"]:
            yield ["", "", "", "", ""]
            yield ["Đơn vị", "Số Tổ", "Tiếp nhận", "Thành / (thành + không thành)", "Tỷ lệ thành"]
            for c in self.stats["children"]:
                child = c["indicators"]
                yield [
                    c["unit"].name,
                    child.teams,
                    child.received,
                    f"{child.success.numerator}/{child.success.denominator}",
                    child.success.percent,
                ]
