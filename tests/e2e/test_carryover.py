"""In a real browser (issue 13): the officer of new Xã Lâm Thao carries over its predecessors —
Tiên Kiên, split (two of its areas picked), and Xuân Lũng. One area is kept, one renamed, two
merged (with their teams, whose two Tổ trưởng need a choice); the preview shows the new teams
and their quotas; confirming creates them, and the member pages read as one service with the
old membership ended on 30/06/2025 as an administrative transfer. At 1280 and 390 px."""

import datetime
import os
from pathlib import Path

import pytest

from carryover.models import CarryOver
from teams.models import EndGround, Membership, Team
from tests.builders import add_member, make_area, make_team, person_data
from tests.carryover.conftest import co  # noqa: F401 (the carry-over world, as a fixture)
from tests.e2e.conftest import log_in_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("ANTT_SCREENSHOTS", "/tmp/antt-screenshots"))


def _row(page, area):
    """The old area's row of the mapping form."""
    return page.locator(f"tr:has(input[name=area_{area.pk}])")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 10, width


def test_officer_carries_over_keep_rename_merge(page, live_server, co):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    a, t, u = co.areas, co.teams, co.units
    # A second area in Xuân Lũng whose team has the same name as Tiên Kiên's Khu 2 team.
    xl2_area = make_area(u["xuan_lung"], "Khu 2", 300, residents=1150)
    xl2 = make_team(u["xuan_lung"], "Tổ bảo vệ ANTT Khu 2", xl2_area)
    giang = add_member(
        xl2, person=person_data(full_name="Vũ Thị Giang", sex="nu"), role="to_truong"
    )
    commune = u["lam_thao_new"]

    log_in_as(page, live_server, "canbo_xa_moi", f"/don-vi/{commune.pk}/")
    page.click("text=Chuyển giao khu dân cư, Tổ, thành viên")
    assert "Chuyển giao khu dân cư, Tổ và thành viên sau sắp xếp" in page.inner_text("h1")
    main = page.inner_text("main")
    assert "Xã Tiên Kiên" in main and "Xã Xuân Lũng" in main
    assert "chỉ nhập một phần" in main

    # Tiên Kiên: both areas come here. Khu 1 kept; Tiên Kiên's Khu 2 and Xuân Lũng's Khu 1
    # merged into "Khu 2" (their teams merged too); Xuân Lũng's Khu 2 renamed "Khu 3".
    for key in ("tien_kien_1", "tien_kien_2"):
        _row(page, a[key]).locator("input[type=checkbox]").check()
    page.fill(f"input[name=area_{a['tien_kien_1'].pk}]", "Khu 1")
    page.fill(f"input[name=area_{a['tien_kien_2'].pk}]", "Khu 2")
    page.fill(f"input[name=area_{a['xuan_lung_1'].pk}]", "Khu 2")
    page.fill(f"input[name=area_{xl2_area.pk}]", "Khu 3")
    page.fill(f"input[name=team_{t['tk1'].pk}]", "Tổ bảo vệ ANTT Khu 1")
    page.fill(f"input[name=team_{t['tk2'].pk}]", "Tổ bảo vệ ANTT Khu 2")
    page.fill(f"input[name=team_{t['xl1'].pk}]", "Tổ bảo vệ ANTT Khu 2")
    page.fill(f"input[name=team_{xl2.pk}]", "Tổ bảo vệ ANTT Khu 3")
    page.click("button[value=preview]")

    # Two Tổ trưởng in the merged team: the page asks who leads; nothing is written yet.
    problems = page.inner_text("#xem-truoc .error-box")
    assert "Tổ «Tổ bảo vệ ANTT Khu 2» gộp từ các Tổ có 2 Tổ trưởng" in problems
    assert not page.locator("button[value=confirm]").count()
    screenshot(page, SCREENSHOTS / "carryover-leader-needed.png", full_page=True)
    page.locator("#to-truong label:has-text('Phạm Đức Dũng') input").check()
    page.click("button[value=preview]")

    preview = page.inner_text("#xem-truoc")
    assert "Sẽ tạo 3 khu dân cư, 3 Tổ; 6 thành viên kết thúc ở đơn vị cũ ngày 30/06/2025" in preview
    merged = page.locator("#xem-truoc tr:has-text('Khu 2')").first.inner_text()
    assert "945" in merged  # 525 + 420 households added up
    assert not CarryOver.objects.exists() and not Team.objects.filter(commune=commune).exists()
    page.wait_for_load_state()
    screenshot(page, SCREENSHOTS / "carryover-preview.png", full_page=True)
    _fits(page)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, SCREENSHOTS / "carryover-preview-390.png", full_page=True)
    _fits(page)
    # On a phone the plan's rows stack, so every input is on screen, not in a sideways scroll.
    rights = page.eval_on_selector_all(
        "form input[type=text]", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= 390, max(rights)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("button[value=confirm]")
    assert (
        "Đã chuyển giao: 3 khu dân cư, 3 Tổ, 6 thành viên tiếp tục tham gia từ ngày 01/07/2025"
        in page.inner_text(".messages")
    )
    assert "Đã chuyển giao" in page.inner_text("main")
    screenshot(page, SCREENSHOTS / "carryover-done.png", full_page=True)

    # The merged team: Dũng leads, Em (Tổ trưởng in Xuân Lũng) is now Tổ phó.
    page.click("main a:has-text('Tổ bảo vệ ANTT Khu 2')")
    members = page.inner_text("#thanh-vien")
    assert "Phạm Đức Dũng" in members and "Hoàng Văn Em" in members
    new_team = Team.objects.get(commune=commune, name="Tổ bảo vệ ANTT Khu 2")
    roles = dict(Membership.objects.filter(team=new_team).values_list("person__full_name", "role"))
    assert roles == {"Phạm Đức Dũng": "to_truong", "Hoàng Văn Em": "to_pho"}
    screenshot(page, SCREENSHOTS / "carryover-merged-team.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, SCREENSHOTS / "carryover-merged-team-390.png", full_page=True)
    _fits(page)  # the members' table scrolls inside its card
    page.set_viewport_size({"width": 1280, "height": 900})

    # Em's page, as the new commune's officer sees it: one service, continued from Xuân Lũng.
    page.click("#thanh-vien a:has-text('Hoàng Văn Em')")
    service = page.inner_text("main")
    assert (
        "Tiếp tục từ Tổ bảo vệ ANTT Khu 1, Xã Xuân Lũng (cũ) (tham gia từ ngày 15/07/2024 đến "
        "ngày 30/06/2025), chuyển do sắp xếp đơn vị hành chính" in service
    )
    screenshot(page, SCREENSHOTS / "carryover-member.png", full_page=True)
    person_url = page.url

    # The provincial police see both memberships: the old one ended on 30/06/2025 as a transfer.
    log_in_as(page, live_server, "congan_tinh", person_url)
    old_row = page.locator("ol.timeline li:not(.current)").inner_text()
    assert "Xã Xuân Lũng" in old_row and "Từ ngày 15/07/2024 đến ngày 30/06/2025" in old_row
    assert "Chuyển do sắp xếp đơn vị hành chính" in old_row
    assert "(tiếp tục tham gia, không gián đoạn)" in old_row
    screenshot(page, SCREENSHOTS / "carryover-member-police.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, SCREENSHOTS / "carryover-member-police-390.png", full_page=True)
    _fits(page)

    for old in [co.members["em"], co.members["dung"], giang]:
        old.refresh_from_db()
        assert (old.end_date, old.end_ground) == (
            datetime.date(2025, 6, 30),
            EndGround.REORGANISATION,
        )
        assert old.transferred_to.start_date == datetime.date(2025, 7, 1)
        assert old.transferred_to.team.commune == commune
