"""Names of jurisdictions (pre-2025 provinces), as the official data package gives them.

Written out here rather than read from ``vietnam_provinces.legacy`` at run time: that module
builds the enums of all 10,833 pre-2025 wards and 700 districts when it is imported (~0.25 s of
CPU, the largest single cost of a web process's first page and of every worker, `manage.py`
and test process that names a province), while the app needs only the 63 provinces' names.
tests/rules/test_cccd.py checks this table against the package, so a new release of the data
that renamed one would fail the suite rather than drift.
"""

from functools import cache

NATIONAL = ""

#: Pre-2025 province code → name, in the package's order.
PROVINCES: dict[int, str] = {
    1: "Thành phố Hà Nội",
    2: "Tỉnh Hà Giang",
    4: "Tỉnh Cao Bằng",
    6: "Tỉnh Bắc Kạn",
    8: "Tỉnh Tuyên Quang",
    10: "Tỉnh Lào Cai",
    11: "Tỉnh Điện Biên",
    12: "Tỉnh Lai Châu",
    14: "Tỉnh Sơn La",
    15: "Tỉnh Yên Bái",
    17: "Tỉnh Hoà Bình",
    19: "Tỉnh Thái Nguyên",
    20: "Tỉnh Lạng Sơn",
    22: "Tỉnh Quảng Ninh",
    24: "Tỉnh Bắc Giang",
    25: "Tỉnh Phú Thọ",
    26: "Tỉnh Vĩnh Phúc",
    27: "Tỉnh Bắc Ninh",
    30: "Tỉnh Hải Dương",
    31: "Thành phố Hải Phòng",
    33: "Tỉnh Hưng Yên",
    34: "Tỉnh Thái Bình",
    35: "Tỉnh Hà Nam",
    36: "Tỉnh Nam Định",
    37: "Tỉnh Ninh Bình",
    38: "Tỉnh Thanh Hóa",
    40: "Tỉnh Nghệ An",
    42: "Tỉnh Hà Tĩnh",
    44: "Tỉnh Quảng Bình",
    45: "Tỉnh Quảng Trị",
    46: "Thành phố Huế",
    48: "Thành phố Đà Nẵng",
    49: "Tỉnh Quảng Nam",
    51: "Tỉnh Quảng Ngãi",
    52: "Tỉnh Bình Định",
    54: "Tỉnh Phú Yên",
    56: "Tỉnh Khánh Hòa",
    58: "Tỉnh Ninh Thuận",
    60: "Tỉnh Bình Thuận",
    62: "Tỉnh Kon Tum",
    64: "Tỉnh Gia Lai",
    66: "Tỉnh Đắk Lắk",
    67: "Tỉnh Đắk Nông",
    68: "Tỉnh Lâm Đồng",
    70: "Tỉnh Bình Phước",
    72: "Tỉnh Tây Ninh",
    74: "Tỉnh Bình Dương",
    75: "Tỉnh Đồng Nai",
    77: "Tỉnh Bà Rịa - Vũng Tàu",
    79: "Thành phố Hồ Chí Minh",
    80: "Tỉnh Long An",
    82: "Tỉnh Tiền Giang",
    83: "Tỉnh Bến Tre",
    84: "Tỉnh Trà Vinh",
    86: "Tỉnh Vĩnh Long",
    87: "Tỉnh Đồng Tháp",
    89: "Tỉnh An Giang",
    91: "Tỉnh Kiên Giang",
    92: "Thành phố Cần Thơ",
    93: "Tỉnh Hậu Giang",
    94: "Tỉnh Sóc Trăng",
    95: "Tỉnh Bạc Liêu",
    96: "Tỉnh Cà Mau",
}


@cache
def jurisdiction_name(code: str) -> str:
    """ "25" → "Tỉnh Phú Thọ"; "" (national parameters) → "toàn quốc"."""
    if code == NATIONAL:
        return "toàn quốc"
    try:
        return PROVINCES[int(code)]
    except (ValueError, KeyError):
        return f"tỉnh mã {code}"
