"""Vietnamese names of parameters, for error messages, traces and the admin.

Keys are dotted: national ones (``base_salary``), quota ones (``quota.<group>.<part>``), support
ones (``support.<role>``) and so on. A key missing here is shown as itself.
"""

LABELS: dict[str, str] = {
    # National
    "base_salary": "Mức lương cơ sở",
    "rural_poverty_line": "Chuẩn nghèo khu vực nông thôn (mức thu nhập làm căn cứ đóng BHXH tự nguyện thấp nhất)",
    "vsi.rate": "Tỷ lệ đóng BHXH tự nguyện",
    "hi.rate": "Tỷ lệ đóng BHYT",
    "regional_minimum_wage.I": "Mức lương tối thiểu tháng vùng I",
    "regional_minimum_wage.II": "Mức lương tối thiểu tháng vùng II",
    "regional_minimum_wage.III": "Mức lương tối thiểu tháng vùng III",
    "regional_minimum_wage.IV": "Mức lương tối thiểu tháng vùng IV",
    # Team roles
    "support.to_truong": "Mức hỗ trợ hằng tháng Tổ trưởng",
    "support.to_pho": "Mức hỗ trợ hằng tháng Tổ phó",
    "support.to_vien": "Mức hỗ trợ hằng tháng Tổ viên",
    # Concurrent holding (kiêm nhiệm)
    "concurrent.kct_share": "Tỷ lệ hưởng khi người hoạt động không chuyên trách ở khu dân cư kiêm nhiệm",
    "concurrent.dan_phong_share": "Tỷ lệ hưởng thêm mức hỗ trợ Đội trưởng, Đội phó dân phòng",
    "post_rate.khong_chuyen_trach_kdc": "Mức phụ cấp người hoạt động không chuyên trách ở khu dân cư",
    "post_rate.truc_tiep_kdc": "Mức hỗ trợ người trực tiếp tham gia hoạt động ở khu dân cư",
    "post_rate.doi_truong_dan_phong": "Mức hỗ trợ Đội trưởng đội dân phòng",
    "post_rate.doi_pho_dan_phong": "Mức hỗ trợ Đội phó đội dân phòng",
}

QUOTA_PARTS = {
    "bands": "Số thành viên theo quy mô (bậc)",
    "step_from": "Quy mô bắt đầu tính tăng thành viên",
    "step_size": "Quy mô tăng thêm để có thêm 01 thành viên",
}
QUOTA_GROUPS = {
    "xa_thi_tran": "khu dân cư thuộc xã, thị trấn",
    "phuong": "khu dân cư thuộc phường",
    "all": "mọi khu dân cư",
}


def parameter_label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "quota" and parts[2] in QUOTA_PARTS:
        return f"{QUOTA_PARTS[parts[2]]} ({QUOTA_GROUPS.get(parts[1], parts[1])})"
    return key
