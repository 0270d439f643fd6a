"""The one date formatter of the project: dd/mm/yyyy, as Vietnamese documents write dates.

It lives in `rules` (the bottom layer, pure Python) because rule messages cite dates too;
`core.formatting.format_date` is this function, and templates reach it through the `ngay`
filter (core/templatetags/vn.py).
"""

from __future__ import annotations

import datetime

DATE_FORMAT = "%d/%m/%Y"


def format_date(value: datetime.date | None) -> str:
    """date(2024, 7, 5) → "05/07/2024"; None → ""."""
    return value.strftime(DATE_FORMAT) if value else ""
