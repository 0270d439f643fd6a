"""The items a team should hold (Circular 14/2024/TT-BCA Art. 8(1); Decree 40/2024/NĐ-CP Art.
4(1); provincial items such as Kon Tum NQ 24/2024 Art. 4(1)), by the shape of their quantity,
with their Vietnamese names. A leaf module: ``rules.equipment`` (the arithmetic) and
``rules.catalogue`` (parameter names) both read it, and it reads nothing.
"""

TOOLS = {
    "rubber_baton": "Gậy cao su",
    "metal_baton": "Gậy kim loại",
    "stab_vest": "Áo chống đâm",
    "knife_gloves": "Găng tay bắt dao",
}
PER_MEMBER = {"chair": "Ghế"}
# Items a provincial resolution adds (per member); looked up in the team's own jurisdiction.
PROVINCIAL_PER_MEMBER = {"flashlight": "Đèn pin", "whistle": "Còi"}
BANDED = {"desk": "Bàn làm việc cá nhân"}
AT_LEAST = {"meeting_table": "Bàn họp", "cabinet": "Tủ đựng tài liệu, công cụ"}
ITEMS = {**TOOLS, **PER_MEMBER, **PROVINCIAL_PER_MEMBER, **BANDED, **AT_LEAST}
