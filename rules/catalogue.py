"""Vietnamese names of parameters, for error messages, traces and the admin.

Keys are dotted: national ones (``base_salary``, ``vsi.rate``), quota ones
(``quota.<group>.<part>``), support ones (``support.<role>``, ``support.type1.<role>``), duty
stipends (``duty.<kind>.<part>``), insurance top-ups (``vsi.province.<part>``) and so on. A key
missing here is shown as itself; a test checks that every key a rule module reads has a label.

A key that only one resolution reads is named where its figures are: in the ``[labels]`` table
of that resolution's fixture (fixtures/rules/README.md), so that a new province is its module,
its fixture and its test.
"""

import functools
import tomllib
from pathlib import Path

from .equipment_items import ITEMS

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "rules"

ROLES = {"to_truong": "Tổ trưởng", "to_pho": "Tổ phó", "to_vien": "Tổ viên"}

LABELS: dict[str, str] = {
    # National
    "base_salary": "Mức lương cơ sở",
    "rural_poverty_line": "Chuẩn nghèo khu vực nông thôn (mức thu nhập làm căn cứ đóng BHXH tự nguyện thấp nhất)",
    "vsi.rate": "Tỷ lệ đóng BHXH tự nguyện",
    "vsi.income_ceiling_multiple": "Mức thu nhập làm căn cứ đóng BHXH tự nguyện cao nhất (số lần mức lương cơ sở)",
    "vsi.state_support.poor": "Tỷ lệ Nhà nước hỗ trợ tiền đóng BHXH tự nguyện: người thuộc hộ nghèo",
    "vsi.state_support.near_poor": "Tỷ lệ Nhà nước hỗ trợ tiền đóng BHXH tự nguyện: người thuộc hộ cận nghèo",
    "vsi.state_support.ethnic_minority": "Tỷ lệ Nhà nước hỗ trợ tiền đóng BHXH tự nguyện: người dân tộc thiểu số",
    "vsi.state_support.island": "Tỷ lệ Nhà nước hỗ trợ tiền đóng BHXH tự nguyện: người sinh sống tại xã đảo, đặc khu",
    "hi.household_share.1": "Mức đóng BHYT hộ gia đình: người thứ nhất (tỷ lệ của mức đóng)",
    "hi.household_share.2": "Mức đóng BHYT hộ gia đình: người thứ hai (tỷ lệ của mức đóng người thứ nhất)",
    "hi.household_share.3": "Mức đóng BHYT hộ gia đình: người thứ ba (tỷ lệ của mức đóng người thứ nhất)",
    "hi.household_share.4": "Mức đóng BHYT hộ gia đình: người thứ tư (tỷ lệ của mức đóng người thứ nhất)",
    "hi.household_share.5": "Mức đóng BHYT hộ gia đình: từ người thứ năm trở đi (tỷ lệ của mức đóng người thứ nhất)",
    "vsi.state_support.other": "Tỷ lệ Nhà nước hỗ trợ tiền đóng BHXH tự nguyện: đối tượng khác",
    "vsi.state_support.max_months": "Thời gian Nhà nước hỗ trợ tiền đóng BHXH tự nguyện tối đa (tháng)",
    "hi.rate": "Tỷ lệ đóng BHYT (trên mức lương cơ sở)",
    "hi.state_support.antt": "Tỷ lệ ngân sách nhà nước hỗ trợ đóng BHYT cho người tham gia Tổ bảo vệ ANTT",
    "regional_minimum_wage.I": "Mức lương tối thiểu tháng vùng I",
    "regional_minimum_wage.II": "Mức lương tối thiểu tháng vùng II",
    "regional_minimum_wage.III": "Mức lương tối thiểu tháng vùng III",
    "regional_minimum_wage.IV": "Mức lương tối thiểu tháng vùng IV",
    # Team roles
    "support.to_truong": "Mức hỗ trợ hằng tháng Tổ trưởng",
    "support.to_pho": "Mức hỗ trợ hằng tháng Tổ phó",
    "support.to_vien": "Mức hỗ trợ hằng tháng Tổ viên",
    "support.base": "Mức hỗ trợ hằng tháng chung cho mọi thành viên",
    # Concurrent holding (kiêm nhiệm)
    "concurrent.kct_share": "Tỷ lệ hưởng khi người hoạt động không chuyên trách ở khu dân cư kiêm nhiệm",
    "concurrent.dan_phong_share": "Tỷ lệ hưởng thêm mức hỗ trợ Đội trưởng, Đội phó dân phòng",
    "post_rate.khong_chuyen_trach_kdc": "Mức phụ cấp người hoạt động không chuyên trách ở khu dân cư",
    "post_rate.truc_tiep_kdc": "Mức hỗ trợ người trực tiếp tham gia hoạt động ở khu dân cư",
    "post_rate.doi_truong_dan_phong": "Mức hỗ trợ Đội trưởng đội dân phòng",
    "post_rate.doi_pho_dan_phong": "Mức hỗ trợ Đội phó đội dân phòng",
    # Duty stipends, all kinds together
    "duty.max_amount": "Mức bồi dưỡng tối đa mỗi tháng (mọi loại nhiệm vụ cộng lại)",
    # Partial months
    "partial_month.policy": "Cách tính hỗ trợ tháng không đủ ngày",
    # Insurance top-ups by the province
    "vsi.province.mode": "Cách tỉnh hỗ trợ thêm tiền đóng BHXH tự nguyện",
    "vsi.province.amount": "Mức tỉnh hỗ trợ thêm tiền đóng BHXH tự nguyện mỗi tháng",
    "vsi.province.percent": "Tỷ lệ tỉnh hỗ trợ thêm tiền đóng BHXH tự nguyện",
    "vsi.income_basis": "Mức thu nhập làm căn cứ đóng BHXH tự nguyện",
    "hi.province.mode": "Cách tỉnh hỗ trợ tiền đóng BHYT",
    "hi.province.amount": "Mức tỉnh hỗ trợ tiền đóng BHYT mỗi tháng",
    "hi.province.percent": "Tỷ lệ tỉnh hỗ trợ tiền đóng BHYT",
    # Members without insurance who fall sick, are injured or die on duty (Law Art. 24)
    "incident.inpatient_meal_per_day": "Tiền ăn mỗi ngày điều trị nội trú (thành viên chưa có BHYT, BHXH)",
    "incident.death": "Trợ cấp một lần khi chết (thành viên chưa có BHXH)",
    "incident.funeral": "Trợ cấp mai táng (thành viên chưa có BHXH)",
    "incident.capacity.min_percent": "Tỷ lệ suy giảm khả năng lao động thấp nhất được trợ cấp (%)",
    "incident.capacity.base": "Trợ cấp ở mức suy giảm khả năng lao động thấp nhất (thành viên chưa có BHXH)",
    "incident.capacity.per_percent": "Trợ cấp thêm cho mỗi 1 % suy giảm khả năng lao động",
    # Grassroots mediation (rules/mediation.py)
    "mediation.per_case": "Mức thù lao hòa giải viên mỗi vụ, việc (chi cho Tổ hòa giải)",
    "mediation.case_ceiling": "Mức chi thù lao hòa giải viên tối đa mỗi vụ, việc/tổ (toàn quốc)",
}

QUOTA_PARTS = {
    "bands": "Số thành viên theo quy mô (bậc)",
    "step_from": "Quy mô bắt đầu tính tăng thành viên",
    "step_size": "Quy mô tăng thêm để có thêm 01 thành viên",
    "kind": "Số thành viên là số cố định hay tối đa (exact, maximum)",
    "top_from": "Quy mô bắt đầu bậc cao nhất",
    "top_members": "Số thành viên ở bậc cao nhất",
}
QUOTA_GROUPS = {
    "xa_thi_tran": "khu dân cư thuộc xã, thị trấn",
    "phuong": "khu dân cư thuộc phường",
    "all": "mọi khu dân cư",
}
DUTY_KINDS = {
    "day": "mỗi ngày làm nhiệm vụ",
    "night": "mỗi đêm (ca đêm) làm nhiệm vụ từ 22 giờ đến 06 giờ",
    "shift": "mỗi ca trực",
    "holiday": "mỗi ngày nghỉ, lễ, tết làm nhiệm vụ",
    "training": "mỗi ngày tập trung huấn luyện (tiền ăn cơ bản chiến sĩ nghĩa vụ)",
    "hardship": "mỗi ngày ở địa bàn đặc biệt khó khăn, biên giới, hải đảo (hỗ trợ thêm)",
}
DUTY_PARTS = {
    "rate": "Mức bồi dưỡng {kind}",
    "max_units": "Số đơn vị tối đa được bồi dưỡng mỗi tháng: {kind}",
    "max_amount": "Mức bồi dưỡng tối đa mỗi tháng: {kind}",
}


EQUIPMENT_PARTS = {
    "share": "Tỷ lệ trang bị theo số thành viên",
    "per_member": "Số lượng trang bị mỗi thành viên",
    "min": "Số lượng tối thiểu mỗi Tổ",
    "max": "Số lượng tối đa mỗi Tổ",
}


@functools.cache
def fixture_labels() -> dict[str, str]:
    """The ``[labels]`` tables of every fixture file, read once."""
    labels: dict[str, str] = {}
    for path in sorted(FIXTURES_DIR.glob("*.toml")):
        labels.update(tomllib.loads(path.read_text(encoding="utf-8")).get("labels", {}))
    return labels


# The codes a choice parameter (unit ``choice``) may hold, with their Vietnamese names: the
# rules read the codes, people read the names (parameter pages, the footnotes of documents).
CHOICE_NAMES: dict[str, dict[str, str]] = {
    "partial_month.policy": {
        "full": "hưởng đủ tháng",
        "pro_rata": "theo số ngày thực tế trong tháng",
        "full_if_15_days": "đủ tháng nếu từ 15 ngày, dưới 15 ngày theo số ngày",
    },
    "vsi.province.mode": {
        "none": "tỉnh không hỗ trợ thêm",
        "fixed": "mức cố định mỗi tháng",
        "percent_of_floor": "tỷ lệ của mức đóng theo chuẩn nghèo nông thôn",
        "percent_of_floor_remainder": "tỷ lệ của phần còn lại của mức đóng theo chuẩn nghèo nông thôn sau hỗ trợ của Nhà nước",
        "percent_of_remainder": "tỷ lệ của phần còn lại của mức đóng sau hỗ trợ của Nhà nước",
    },
    "vsi.income_basis": {
        "chosen": "mức người tham gia chọn",
        "monthly_support": "bằng mức hỗ trợ hằng tháng",
    },
    "hi.province.mode": {
        "none": "tỉnh không hỗ trợ thêm",
        "fixed": "mức cố định mỗi tháng",
        "percent_of_contribution": "tỷ lệ của mức đóng BHYT",
        "percent_of_remainder": "tỷ lệ của phần còn lại sau hỗ trợ của Nhà nước",
    },
}  # fmt: skip


def choice_name(key: str, code: str) -> str:
    """The name of a choice parameter's code ("none" → "tỉnh không hỗ trợ thêm"); any other
    value as it is."""
    return CHOICE_NAMES.get(key, {}).get(code, code)


def parameter_label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    if key in fixture_labels():
        return fixture_labels()[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "quota" and parts[2] in QUOTA_PARTS:
        return f"{QUOTA_PARTS[parts[2]]} ({QUOTA_GROUPS.get(parts[1], parts[1])})"
    if len(parts) == 3 and parts[0] == "duty" and parts[1] in DUTY_KINDS and parts[2] in DUTY_PARTS:
        return DUTY_PARTS[parts[2]].format(kind=DUTY_KINDS[parts[1]])
    if len(parts) == 3 and parts[0] == "support" and parts[2] in ROLES:
        role = ROLES[parts[2]]
        if parts[1] == "addon":
            return f"Mức hỗ trợ thêm theo chức danh {role}"
        if parts[1].startswith("type") and parts[1][4:].isdigit():
            return f"Mức hỗ trợ hằng tháng {role} ở thôn, tổ dân phố loại {parts[1][4:]}"
    if (
        len(parts) == 3
        and parts[0] == "equipment"
        and parts[2] in EQUIPMENT_PARTS
        and parts[1] in ITEMS
    ):
        return f"{EQUIPMENT_PARTS[parts[2]]}: {ITEMS[parts[1]].lower()}"
    if len(parts) == 3 and parts[:2] == ["support", "training"]:
        return f"Mức hỗ trợ thêm theo trình độ đào tạo «{parts[2]}»"
    return key


def has_label(key: str) -> bool:
    return parameter_label(key) != key
