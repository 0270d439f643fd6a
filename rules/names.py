"""Names of jurisdictions (pre-2025 provinces) from the official data package."""

from functools import cache

NATIONAL = ""


@cache
def jurisdiction_name(code: str) -> str:
    """ "25" → "Tỉnh Phú Thọ"; "" (national parameters) → "toàn quốc"."""
    if code == NATIONAL:
        return "toàn quốc"
    from vietnam_provinces import legacy

    try:
        return legacy.Province.from_code(legacy.ProvinceCode(int(code))).name
    except ValueError:
        return f"tỉnh mã {code}"
