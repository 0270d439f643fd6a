"""Small server-side SVG charts (templates/core/_bar_chart.html, _column_chart.html), shared by
the reporting dashboard (members against quota, spending by month, on-time rate) and the "An
toàn về ANTT" summary (areas recognised, failed criteria, models by field).

Why not a JavaScript chart library: three plain charts need no interactivity, SVG made on the
server shows at once on a slow laptop, prints as it looks, and keeps the strict
Content-Security-Policy (no inline scripts) intact. The templates draw from these structures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 760


@dataclass
class Bar:
    label: str
    value: int
    reference: int | None = None  # e.g. the quota, drawn as a tick
    note: str = ""
    # Computed geometry
    y: float = 0
    width: float = 0
    reference_x: float | None = None
    text_x: float = 0


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    unit: str = ""
    row_height: int = 22
    label_width: int = 200
    scale: int = field(default=0, init=False)

    def __post_init__(self):
        top = max([1, *(b.value for b in self.bars), *(b.reference or 0 for b in self.bars)])
        self.scale = top
        usable = WIDTH - self.label_width - 90
        for i, bar in enumerate(self.bars):
            bar.y = i * self.row_height
            bar.width = usable * bar.value / top
            bar.text_x = self.label_width + bar.width + 6
            if bar.reference is not None:
                bar.reference_x = self.label_width + usable * bar.reference / top

    @property
    def height(self) -> int:
        return max(self.row_height, len(self.bars) * self.row_height) + 4

    @property
    def value_x(self) -> int:
        return self.label_width


@dataclass
class Column:
    label: str
    value: float
    shown: str
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass
class ColumnChart:
    title: str
    columns: list[Column]
    plot_height: int = 160
    maximum: float | None = None

    def __post_init__(self):
        top = self.maximum or max([1, *(c.value for c in self.columns)])
        step = (WIDTH - 40) / max(1, len(self.columns))
        for i, column in enumerate(self.columns):
            column.x = 20 + i * step
            column.height = self.plot_height * column.value / top if top else 0
            column.y = self.baseline - column.height
        self.step = step

    @property
    def baseline(self) -> int:
        return self.plot_height + 14

    @property
    def bar_width(self) -> float:
        return max(6, self.step * 0.6)

    @property
    def height(self) -> int:
        return self.plot_height + 40
