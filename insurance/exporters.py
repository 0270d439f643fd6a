"""The quarterly list as a spreadsheet: the same rows as the PDF, from the list's lines."""

from core.exporters import Exporter

from .selectors import ListSheet


class FundingListExporter(Exporter):
    identifier = "insurance_funding_list"
    verbose_name = "Danh sách BHXH tự nguyện, BHYT"
    widths = (6, 28, 15, 28, 14, 24, 14, 8, 14, 14, 14, 8, 14, 14, 14, 16)

    def __init__(self, sheet: ListSheet):
        self.sheet = sheet
        fl = sheet.funding_list
        self.title_lines = (
            "DANH SÁCH ĐỀ NGHỊ HỖ TRỢ KINH PHÍ ĐÓNG BHXH TỰ NGUYỆN, BHYT CHO THÀNH VIÊN TỔ BẢO VỆ "
            "AN NINH, TRẬT TỰ",
            f"{fl.commune.name} – {fl.quarter_label} – trạng thái: {fl.get_state_display()}",
        )

    def rows(self):
        yield [
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Tổ",
            "Mức thu nhập BHXH tự nguyện (đồng/tháng)",
            "Nhóm đối tượng",
            "Phương thức đóng",
            "Số tháng BHXH",
            "Mức đóng BHXH (đồng)",
            "Nhà nước hỗ trợ BHXH (đồng)",
            "Tỉnh hỗ trợ BHXH (đồng)",
            "Số tháng BHYT",
            "Mức đóng BHYT (đồng)",
            "Nhà nước hỗ trợ BHYT (đồng)",
            "Tỉnh hỗ trợ BHYT (đồng)",
            "Ngân sách hỗ trợ (đồng)",
            "Giá trị chưa xác minh",
        ]
        for row in self.sheet.rows:
            yield [
                row.index,
                row.person_name,
                row.cccd,
                row.team_name,
                row.vsi_income or "",
                row.vsi_groups,
                row.payment_mode,
                row.vsi_months or "",
                row.vsi_contribution,
                row.vsi_state,
                row.vsi_province,
                row.hi_months or "",
                row.hi_contribution,
                row.hi_state,
                row.hi_province,
                row.budget,
                "(*)" if row.unverified else "",
            ]
        s = self.sheet
        yield [
            "", "Tổng cộng", "", "", "", "", "", "", s.vsi_contribution, s.vsi_state,
            s.vsi_province, "", s.hi_contribution, s.hi_state, s.hi_province, s.budget,
        ]  # fmt: skip
        if s.funding_list.carried_in:
            yield [
                "",
                "Chênh lệch các quý trước chuyển sang",
                *[""] * 13,
                s.funding_list.carried_in,
            ]
        yield ["", "Kinh phí đề nghị cấp", *[""] * 13, s.requested]
        yield ["", f"Bằng chữ: {s.requested_in_words}."]
        if s.unverified_values:
            values = "; ".join(str(v) for v in s.unverified_values)
            yield ["", f"(*) Tính theo giá trị chưa xác minh từ văn bản gốc: {values}."]
