"""The payment list as a spreadsheet: the same rows as the PDF, from the run's lines."""

from core.exporters import Exporter
from core.periods import Month

from .selectors import RunSheet


class PaymentListExporter(Exporter):
    identifier = "payment_list"
    verbose_name = "Danh sách chi trả"
    widths = (6, 28, 15, 11, 28, 10, 14, 14, 14, 15)

    def __init__(self, sheet: RunSheet):
        self.sheet = sheet
        run = sheet.run
        self.title_lines = (
            "DANH SÁCH CHI TRẢ HỖ TRỢ HẰNG THÁNG, BỒI DƯỠNG CHO THÀNH VIÊN TỔ BẢO VỆ AN NINH, TRẬT TỰ",
            f"{run.commune.name} – tháng {Month.of(run.month).label} – trạng thái: {run.get_state_display()}",
        )

    def rows(self):
        yield [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Chức danh",
            "Tổ",
            "Số ngày tham gia",
            "Hỗ trợ hằng tháng (đồng)",
            "Bồi dưỡng (đồng)",
            "Truy lĩnh (+)/thu hồi (−) (đồng)",
            "Tổng số tiền (đồng)",
            "Giá trị chưa xác minh",
        ]
        for row in self.sheet.rows:
            yield [
                row.index,
                row.person_name,
                row.cccd,
                row.role_label,
                row.team_name,
                f"{row.active_days}/{row.days_in_month}" if row.partial else "",
                row.monthly,
                row.duty,
                row.arrears,
                row.total,
                "(*)" if row.unverified else "",
            ]
        s = self.sheet
        yield ["", "Tổng cộng", "", "", "", "", s.monthly, s.duty, s.arrears, s.total]
        yield ["", f"Bằng chữ: {s.total_in_words}."]
        if s.unverified_values:
            values = "; ".join(str(v) for v in s.unverified_values)
            yield ["", f"(*) Tính theo giá trị chưa xác minh từ văn bản gốc: {values}."]
