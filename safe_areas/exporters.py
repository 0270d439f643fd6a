"""The yearly summary as a spreadsheet (core.exporters): one row per commune."""

from __future__ import annotations

from collections.abc import Iterator

from core.exporters import Exporter

from .selectors import Summary


class SummaryExporter(Exporter):
    identifier = "an_toan_antt_tong_hop"
    verbose_name = "Tổng hợp An toàn về ANTT"
    widths = (6, 36, 12, 12, 12, 14, 14, 14, 14, 14, 12, 28)

    def __init__(self, summary: Summary):
        self.summary = summary
        self.title_lines = (
            "TỔNG HỢP KẾT QUẢ XÂY DỰNG “AN TOÀN VỀ AN NINH, TRẬT TỰ”",
            f"{summary.unit.label} — năm {summary.year}",
        )

    def rows(self) -> Iterator[list]:
        yield [
            "STT", "Xã, phường", "Số khu dân cư", "Đã đăng ký", "Được công nhận",
            "Không công nhận", "Số hộ", "Hộ đăng ký", "Cơ quan, DN, trường",
            "Cơ quan, DN, trường được công nhận", "Mô hình tự quản", "Hồ sơ của xã",
        ]  # fmt: skip
        for i, c in enumerate(self.summary.communes, start=1):
            yield [
                i, c.commune.name, c.areas, c.registered, c.recognised, c.not_recognised,
                c.households, c.households_registered, c.establishments,
                c.establishments_recognised, c.models, c.commune_state or "",
            ]  # fmt: skip
        t = self.summary.totals
        yield [
            "", "Tổng cộng", t.areas, t.registered, t.recognised, t.not_recognised,
            t.households, t.households_registered, t.establishments,
            t.establishments_recognised, t.models, "",
        ]  # fmt: skip
