"""The official-document base (Decree 30/2020 layout) and the spreadsheet exporter."""

import datetime
import io

from openpyxl import load_workbook

from core.documents import Letterhead, Signature, pdf_response, place_name, render_pdf
from core.exporters import Exporter, to_xlsx, xlsx_response
from core.formatting import ascii_slug
from tests.pdf_tools import pdf_fonts, pdf_pages, pdf_text

LETTERHEAD = Letterhead(
    issuing_body="ỦY BAN NHÂN DÂN XÃ TIÊN KIÊN",
    parent_body="UBND HUYỆN LÂM THAO",
    place="Tiên Kiên",
    date=datetime.date(2024, 8, 5),
    title="DANH SÁCH",
    subject="Chi trả hỗ trợ hằng tháng tháng 8 năm 2024",
    number="     /DS-UBND",
)


def render(rows: int) -> bytes:
    return render_pdf(
        "tests/sample_document.html",
        {
            "letterhead": LETTERHEAD,
            "signatures": [
                Signature("NGƯỜI LẬP BIỂU"),
                Signature("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"),
            ],
            "rows": [{"name": "Nguyễn Thị Hồng Nhung", "amount": 1_050_000}] * rows,
        },
    )


def test_pdf_has_motto_date_line_and_vietnamese_text():
    text = pdf_text(render(3))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Tiên Kiên, ngày 05 tháng 8 năm 2024" in text
    assert "Nguyễn Thị Hồng Nhung" in text and "1.050.000" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text


def test_pdf_uses_a_times_compatible_embedded_font():
    fonts = pdf_fonts(render(1))
    assert "Liberation-Serif" in fonts or "Times" in fonts or "Tinos" in fonts
    assert " no " not in fonts.split("\n", 2)[2]  # every font embedded


def test_long_tables_repeat_their_header_on_every_page():
    content = render(60)
    pages = pdf_pages(content)
    assert pages >= 2
    assert pdf_text(content).count("Họ và tên") == pages


def test_place_name_drops_the_unit_kind():
    assert place_name("Xã Tiên Kiên") == "Tiên Kiên"
    assert place_name("Thành phố Cần Thơ") == "Cần Thơ"
    assert place_name("Tỉnh Phú Thọ") == "Phú Thọ"


def test_pdf_response_names_the_file_in_ascii():
    response = pdf_response(b"%PDF", "Danh sách chi trả Đồng Xuân 08/2024")
    assert response["Content-Disposition"] == (
        'inline; filename="danh-sach-chi-tra-dong-xuan-08-2024.pdf"'
    )
    assert ascii_slug("Đội phó") == "doi-pho"


class Sample(Exporter):
    identifier = "sample"
    verbose_name = "Danh sách"
    title_lines = ("DANH SÁCH CHI TRẢ", "Xã Tiên Kiên")

    def rows(self):
        yield ["Họ và tên", "Ngày sinh", "Số tiền"]
        yield ["Nguyễn Văn Hùng", datetime.date(1980, 2, 3), 1_100_000]


def test_xlsx_keeps_dates_and_numbers_typed():
    sheet = load_workbook(io.BytesIO(to_xlsx(Sample()))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH CHI TRẢ"
    assert rows[3] == ("Họ và tên", "Ngày sinh", "Số tiền")
    assert rows[4][1] == datetime.datetime(1980, 2, 3)
    assert rows[4][2] == 1_100_000


def test_xlsx_response_is_an_attachment():
    response = xlsx_response(Sample(), "Danh sách")
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach.xlsx"'
