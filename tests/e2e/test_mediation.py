"""In a real browser: Xã Mỹ Tú's justice officer adds a mediation team and its mediators
(one of them already an ANTT member, found by CCCD), records cases and closes them, sees the
success rate move on the commune page, corrects the team's founding decision, ends a
mediator's service (the team falls below the composition rule), downloads the 6-month
statistics PDF, and sends the 2026 report to the city's Department of Justice, who receives it. Screenshots (also at 390 px) in $ANTT_SCREENSHOTS when set; the PDFs are
checked to open."""

import datetime
import os
from pathlib import Path

import pytest

from mediation.models import MediationPlan, MediationTeam, YearlyReport
from teams.models import Role
from tests.builders import add_member, cccd_for, make_team, make_user, person_data
from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))
D = datetime.date


def _mediator(page, *, name, sex, cccd, birth="05/05/1975"):
    page.click("a:has-text('Thêm hòa giải viên')")
    page.fill("#id_list_received_on", "14/07/2025")
    page.fill("#id_decision_number", "15/QĐ-UBND")
    page.fill("#id_decision_date", "18/07/2025")
    page.fill("#id_cccd", cccd)
    if name:
        page.fill("#id_full_name", name)
        page.fill("#id_birth_date", birth)
        page.check(f"input[name=sex][value={sex}]")
        page.select_option("#id_education", "thcs")
        page.check("input[name=residence_type][value=thuong_tru]")
        page.fill("#id_residence_address", "Ấp Mỹ Phú, Xã Mỹ Tú")
        page.fill("#id_residence_since", birth)
    page.click("button:has-text('Lưu')")
    assert "Đã thêm hòa giải viên" in page.inner_text("main"), page.inner_text("main")


def _case(page, *, outcome, closed="", agreement=""):
    page.click("a:has-text('Ghi vụ việc mới')")
    page.fill("#id_received_on", "02/03/2026")
    page.fill("#id_parties", "Ông Lâm Văn A – bà Thạch Thị B, Ấp Mỹ Phú")
    page.fill("#id_content", "Tranh chấp ranh giới đất")
    page.check("#id_mediators_0")
    page.check("#id_mediators_1")
    page.fill("#id_assigned_on", "02/03/2026")
    page.fill("#id_started_on", "03/03/2026")
    page.select_option("#id_outcome", outcome)
    if agreement:
        page.fill("#id_agreement", agreement)
    if closed:
        page.fill("#id_closed_on", closed)
    page.click("#case-form button:has-text('Lưu')")


def test_team_mediators_cases_indicators_report(page, live_server, world, db_params):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    u = world.units
    make_user("tuphap", (Role.JUSTICE_OFFICER, u["my_tu"]))
    make_user("sotuphap", (Role.JUSTICE_OFFICE, u["ct"]))
    MediationPlan.objects.create(
        unit=u["my_tu"],
        number="127/KH-UBND",
        signed_on=D(2021, 11, 16),
        title="Hòa giải",
        issuer="UBND huyện Mỹ Tú",
        first_year=2021,
        last_year=2030,
        consolidated_target=95,
        success_target=85,
        secretary_target=100,
    )
    antt_team = make_team(u["my_tu"], "Tổ bảo vệ ANTT ấp Mỹ Phú", world.areas["my_tu_1"])
    member = add_member(
        antt_team,
        world.users["canbo_ct"],
        person=person_data(full_name="Thạch Văn Sol", province="094"),
    )

    log_in_as(page, live_server, "tuphap")
    page.click("a:has-text('Hòa giải ở cơ sở')")
    assert "Chưa có Tổ hòa giải nào" in page.inner_text("main")
    page.click("a:has-text('Thêm Tổ hòa giải')")
    page.select_option("#id_area", label="Ấp Mỹ Phú")
    page.fill("#id_name", "Tổ hòa giải ấp Mỹ Phú")
    page.fill("#id_decision_number", "12/QĐ-UBND")
    page.fill("#id_decision_date", "10/07/2025")
    page.click("button:has-text('Lưu')")
    assert "Đã thêm Tổ hòa giải" in page.inner_text("main")
    team_url = page.url

    _mediator(page, name="", sex="", cccd=member.person.cccd)  # the ANTT member, by CCCD
    assert "Thành viên Tổ bảo vệ ANTT: Tổ bảo vệ ANTT ấp Mỹ Phú" in page.inner_text(
        "#hoa-giai-vien"
    )
    assert "Chưa đủ thành phần" in page.inner_text("main")
    _mediator(page, name="Lý Thị Hoa", sex="nu", cccd=cccd_for(D(1975, 5, 5), "nu", "094"))
    _mediator(page, name="Trần Văn Bảy", sex="nam", cccd=cccd_for(D(1975, 5, 5), "nam", "094"))
    assert "Chưa đủ thành phần" not in page.inner_text("main")
    screenshot(page, SCREENSHOTS / "mediation-team.png", full_page=True)

    _case(page, outcome="success", closed="09/03/2026")  # agreement missing: refused
    assert "ghi nội dung thỏa thuận" in page.inner_text("main")
    page.fill("#id_agreement", "Hai bên thống nhất cắm lại mốc")
    page.click("#case-form button:has-text('Lưu')")
    assert "Đã ghi vụ việc" in page.inner_text("main")
    page.goto(team_url)
    _case(page, outcome="open")
    page.goto(f"{live_server.url}/don-vi/{u['my_tu'].pk}/hoa-giai/?nam=2026")
    assert "1/1" in page.inner_text("#ind-success") and "100,0 %" in page.inner_text("#ind-success")
    page.goto(team_url)
    page.click("#so-theo-doi a >> nth=0")  # the open case (newest first): close it, not agreed
    page.select_option("#id_outcome", "failure")
    page.fill("#id_closed_on", "20/03/2026")
    page.click("#case-form button:has-text('Lưu')")
    page.goto(f"{live_server.url}/don-vi/{u['my_tu'].pk}/hoa-giai/?nam=2026")
    success = page.inner_text("#ind-success")
    assert "1/2" in success and "50,0 %" in success and "Chưa đạt" in success
    screenshot(page, SCREENSHOTS / "mediation-commune.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, SCREENSHOTS / "mediation-commune-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    pdf = page.request.get(f"{team_url}so-theo-doi.pdf?nam=2026")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SCREENSHOTS / "mediation-book.pdf").write_bytes(pdf.body())

    # Correct the team's founding decision: a date after its first case is refused, then saved.
    page.goto(team_url)
    page.click("a:has-text('Sửa thông tin Tổ')")
    page.fill("#id_decision_date", "10/03/2026")
    page.click("button:has-text('Lưu')")
    assert "Tổ đã tiếp nhận vụ việc từ ngày 02/03/2026" in page.inner_text("main")
    screenshot(page, SCREENSHOTS / "mediation-team-edit.png", full_page=True)
    page.fill("#id_decision_number", "12a/QĐ-UBND")
    page.fill("#id_decision_date", "09/07/2025")
    page.click("button:has-text('Lưu')")
    assert "QĐ thành lập số 12a/QĐ-UBND ngày 09/07/2025" in page.inner_text("main")

    # End a mediator's service: before it began is refused; then the team is below the rule.
    page.click("#hoa-giai-vien a:has-text('Trần Văn Bảy')")
    page.click("a:has-text('Thôi làm hòa giải viên')")
    page.fill("#id_ended_on", "01/07/2025")
    page.fill("#id_end_reason", "Chuyển nơi cư trú")
    page.click("button:has-text('Lưu')")
    assert "không được trước ngày bắt đầu làm hòa giải viên" in page.inner_text("main")
    page.fill("#id_ended_on", "01/06/2026")
    page.click("button:has-text('Lưu')")
    main = page.inner_text("main")
    assert "Đã ghi việc thôi làm hòa giải viên của Trần Văn Bảy" in main
    assert "thôi từ 01/06/2026" in main and "Chưa đủ thành phần" in main
    screenshot(page, SCREENSHOTS / "mediation-team-after-end.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, SCREENSHOTS / "mediation-team-after-end-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The 6-month statistics (data to 31/05) as the report's PDF.
    page.goto(f"{live_server.url}/don-vi/{u['my_tu'].pk}/hoa-giai/thong-ke/?ky=6thang&nam=2026")
    assert "6 tháng đầu năm 2026" in page.inner_text("main")
    href = page.get_attribute("a:has-text('Báo cáo (PDF)')", "href")
    pdf = page.request.get(f"{page.url.split('?')[0]}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SCREENSHOTS / "mediation-statistics-6-thang.pdf").write_bytes(pdf.body())
    page.goto(f"{live_server.url}/don-vi/{u['my_tu'].pk}/hoa-giai/?nam=2026")

    page.click("a:has-text('Báo cáo năm 2026')")
    page.fill("#id_summary", "Các Tổ hòa giải hoạt động ổn định.")
    page.click("button:has-text('Gửi báo cáo tới Sở Tư pháp Thành phố Cần Thơ')")
    assert "Đã gửi" in page.inner_text("#report-state")
    report_url = page.url
    pdf = page.request.get(f"{report_url}bao-cao.pdf")
    assert pdf.ok
    (SCREENSHOTS / "mediation-report.pdf").write_bytes(pdf.body())

    log_in_as(page, live_server, "sotuphap", f"/don-vi/{u['ct'].pk}/hoa-giai/?nam=2026")
    assert "Xã Mỹ Tú" in page.inner_text("main")
    screenshot(page, SCREENSHOTS / "mediation-city.png", full_page=True)
    # The city's report PDF is made by the worker: a progress page, then the download.
    page.goto(f"{live_server.url}/don-vi/{u['ct'].pk}/hoa-giai/bao-cao/2026/")
    page.click("a:has-text('Báo cáo (PDF)')")
    page.wait_for_selector(".document-job[data-status=done]", timeout=30_000)
    screenshot(page, SCREENSHOTS / "mediation-city-document.png", full_page=True)
    pdf = page.request.get(live_server.url + page.get_attribute("a:has-text('Tải về')", "href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SCREENSHOTS / "mediation-city-report.pdf").write_bytes(pdf.body())
    page.goto(report_url)
    assert "Ông Lâm Văn A" not in page.inner_text("main")
    page.click("button:has-text('Tiếp nhận')")
    assert YearlyReport.objects.get(unit=u["my_tu"], year=2026).state == "received"
    assert MediationTeam.objects.count() == 1
