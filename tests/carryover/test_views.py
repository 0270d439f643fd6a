"""The carry-over pages: the mapping form, preview, confirm, reopen, the province page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carryover.models import CarryOver, CarryOverState, ProvinceJob
from teams.models import Membership, ResidentialArea
from tests.builders import sign_in


def _form(co, **extra):
    """What the page posts for the default mapping with Tiên Kiên's Khu 1 picked."""
    page = _get(co)
    a, t = co.areas, co.teams
    data = {
        "fingerprint": page.context["fingerprint"],
        f"pick_{a['tien_kien_1'].pk}": "on",
        f"area_{a['tien_kien_1'].pk}": "Khu 1 (Tiên Kiên)",
        f"hh_{a['tien_kien_1'].pk}": "350",
        f"area_{a['tien_kien_2'].pk}": "Khu 2",
        f"hh_{a['tien_kien_2'].pk}": "525",
        f"area_{a['xuan_lung_1'].pk}": "Khu 1 (Xuân Lũng)",
        f"hh_{a['xuan_lung_1'].pk}": "420",
        f"team_{t['tk1'].pk}": "Tổ bảo vệ ANTT Khu 1 (Tiên Kiên)",
        f"team_{t['tk2'].pk}": "Tổ bảo vệ ANTT Khu 2",
        f"team_{t['xl1'].pk}": "Tổ bảo vệ ANTT Khu 1 (Xuân Lũng)",
    }
    data.update(extra)
    return data


def _url(co, name="carryover-commune", unit="lam_thao_new"):
    return reverse(name, args=[co.units[unit].pk])


def _get(co, client=None):
    from django.test import Client

    client = client or Client()
    sign_in(client, co.users["canbo_xa_moi"])
    response = client.get(_url(co))
    assert response.status_code == 200
    return response


def _client(co, user="canbo_xa_moi"):
    from django.test import Client

    client = Client()
    sign_in(client, co.users[user])
    return client


def test_the_page_lists_predecessors_and_previews_without_writing(
    co, django_assert_max_num_queries
):
    client = _client(co)
    with django_assert_max_num_queries(30):
        page = client.get(_url(co))
    body = page.content.decode()
    assert "Xã Tiên Kiên (cũ)" in body and "chỉ nhập một phần" in body and "Hoàng Văn Em" in body
    before = Membership.objects.filter(end_date__isnull=True).count()
    response = client.post(_url(co), {**_form(co), "action": "preview"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sẽ tạo 2 khu dân cư, 2 Tổ; 4 thành viên" in body
    assert "Xác nhận chuyển giao" in body
    assert Membership.objects.filter(end_date__isnull=True).count() == before
    assert not CarryOver.objects.exists()


def test_confirm_carries_over_and_the_page_shows_the_result(co):
    client = _client(co)
    response = client.post(_url(co), {**_form(co), "action": "confirm"})
    assert response.status_code == 302
    carry = CarryOver.objects.get()
    assert carry.summary == {"areas": 2, "teams": 2, "memberships": 4, "enrolments": 0}
    page = client.get(_url(co)).content.decode()
    assert "Đã chuyển giao" in page and "Mở lại để điều chỉnh" in page


def test_the_old_communes_roster_says_where_its_members_went(co):
    _client(co).post(_url(co), {**_form(co), "action": "confirm"})
    old = _client(co, "canbo_xa2").get(reverse("roster", args=[co.units["xuan_lung"].pk]))
    page = old.content.decode()
    assert "0 người" in page and "đã kết thúc hoạt động sau ngày 30/06/2025" in page
    assert "sang đơn vị mới đã kết thúc tham gia ở đây ngày 30/06/2025" in page
    ended = _client(co, "canbo_xa2").get(
        reverse("roster", args=[co.units["xuan_lung"].pk]), {"status": "tat-ca"}
    )
    assert "Hoàng Văn Em" in ended.content.decode()


def test_a_number_typed_wrongly_is_named_and_nothing_changes(co):
    client = _client(co)
    data = _form(co, **{f"hh_{co.areas['xuan_lung_1'].pk}": "bốn trăm", "action": "confirm"})
    response = client.post(_url(co), data, follow=True)
    assert (
        "số hộ của Khu 1 (Xã Xuân Lũng) phải là số nguyên dương"
        in response.content.decode().lower()
        or "phải là số nguyên dương" in response.content.decode()
    )
    assert not CarryOver.objects.exists()


def test_a_changed_roster_since_the_preview_is_refused_on_the_page(co):
    client = _client(co)
    data = _form(co, action="confirm")
    Membership.objects.filter(pk=co.members["em"].pk).update(version=9)
    response = client.post(_url(co), data)
    assert response.status_code == 200
    assert "đã thay đổi từ lúc xem trước" in response.content.decode()
    assert not CarryOver.objects.exists()


def test_another_communes_predecessor_ids_answer_404(co):
    client = _client(co)
    # Phùng Nguyên's officer sends ids of Lâm Thao's predecessors (Xuân Lũng is not Phùng Nguyên's).
    other = _client(co, "canbo_pn")
    url = reverse("carryover-commune", args=[co.units["phung_nguyen"].pk])
    data = {f"area_{co.areas['xuan_lung_1'].pk}": "Khu X", "action": "preview"}
    assert other.post(url, data).status_code == 404
    assert (
        other.post(url, {f"team_{co.teams['xl1'].pk}": "Tổ X", "action": "preview"}).status_code
        == 404
    )
    assert (
        other.post(url, {"leader::to x": str(co.members["em"].pk), "action": "preview"}).status_code
        == 404
    )
    # and nobody reaches another commune's page
    assert other.get(_url(co)).status_code == 404
    assert client.get(reverse("carryover-commune", args=[co.units["my_tu"].pk])).status_code == 404


@pytest.mark.parametrize("user", ["taichinh_huyen", "congan_tinh"])
def test_read_only_roles_cannot_confirm(co, user):
    client = _client(co, user)
    url = _url(co) if user == "congan_tinh" else _url(co, unit="tien_kien")
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "confirm"}).status_code == 403
    assert not CarryOver.objects.exists()


def test_reopen_then_correct_the_mapping(co):
    client = _client(co)
    client.post(_url(co), {**_form(co), "action": "confirm"})
    reopen = _url(co, "carryover-reopen")
    assert "Lý do mở lại" in client.get(reopen).content.decode()
    response = client.post(reopen, {"reason": ""})
    assert response.status_code == 200 and CarryOver.objects.get().is_confirmed
    assert client.post(reopen, {"reason": "Gộp hai khu theo QĐ 20/QĐ-UBND"}).status_code == 302
    carry = CarryOver.objects.get()
    assert carry.state == CarryOverState.REOPENED
    assert ResidentialArea.objects.filter(commune=co.units["lam_thao_new"]).count() == 0
    assert Membership.objects.get(pk=co.members["em"].pk).end_date is None
    # Corrected: the two Khu 1 merged into one area and one team, An leading.
    a, t = co.areas, co.teams
    data = _form(
        co,
        **{
            f"area_{a['tien_kien_1'].pk}": "Khu Đồng Tâm",
            f"area_{a['xuan_lung_1'].pk}": "Khu Đồng Tâm",
            f"team_{t['tk1'].pk}": "Tổ Đồng Tâm",
            f"team_{t['xl1'].pk}": "Tổ Đồng Tâm",
            "leader::tổ đồng tâm": str(co.members["an"].pk),
            "action": "confirm",
        },
    )
    assert client.post(_url(co), data).status_code == 302
    area = ResidentialArea.objects.get(commune=co.units["lam_thao_new"])
    assert (area.name, area.households) == ("Khu Đồng Tâm", 770)
    assert [s.kind for s in CarryOver.objects.get().steps.all()] == ["confirm", "reopen", "confirm"]


def test_reopen_is_refused_after_the_first_approval(co):
    from allowances.models import AllowanceRun, RunState

    client = _client(co)
    client.post(_url(co), {**_form(co), "action": "confirm"})
    AllowanceRun.objects.create(
        commune=co.units["lam_thao_new"], month="2025-07-01", state=RunState.APPROVED
    )
    response = client.post(_url(co, "carryover-reopen"), {"reason": "Sửa"})
    assert response.status_code == 200
    assert "Không còn mở lại được" in response.content.decode()
    assert CarryOver.objects.get().is_confirmed


def test_the_province_page_starts_a_job(co, django_capture_on_commit_callbacks):
    client = _client(co, "congan_tinh")
    page = client.get(reverse("carryover-province"))
    assert page.status_code == 200 and "Tỉnh Phú Thọ" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("carryover-province"), {"province": co.units["pt_new"].pk})
    assert response.status_code == 302
    job = ProvinceJob.objects.get()
    assert job.status == ProvinceJob.Status.DONE, job.error
    assert job.summary["communes"] == 0 and len(job.summary["needs_decision"]) == 2
    # A commune officer does not reach the province; a province of the old tree has no run.
    assert (
        _client(co)
        .post(reverse("carryover-province"), {"province": co.units["pt_new"].pk})
        .status_code
        == 404
    )
    assert (
        client.post(reverse("carryover-province"), {"province": co.units["pt"].pk}).status_code
        == 404
    )


def test_the_member_page_reads_as_one_continuous_service(co):
    client = _client(co)
    client.post(_url(co), {**_form(co), "action": "confirm"})
    person = co.members["em"].person
    # The new commune's officer: the new appointment says where the service began.
    body = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert (
        "Tiếp tục từ Tổ bảo vệ ANTT Khu 1, Xã Xuân Lũng (cũ) (tham gia từ ngày 15/07/2024 đến "
        "ngày 30/06/2025)" in body
    )
    # The provincial police see both rows: the old one names where it continues.
    police = _client(co, "congan_tinh")
    body = police.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert (
        "Chuyển do sắp xếp đơn vị hành chính: Tổ bảo vệ ANTT Khu 1 (Xuân Lũng), Xã Lâm Thao" in body
    )
    assert "tiếp tục tham gia, không gián đoạn" in body


def test_a_merged_team_over_its_quota_asks_for_the_reason_on_the_page(co):
    a, t, m = co.areas, co.teams, co.members
    merged = "Tổ bảo vệ ANTT Đồng Tâm"
    client = _client(co)
    data = _form(
        co,
        **{
            f"area_{a['xuan_lung_1'].pk}": "Khu 1 (Tiên Kiên)",  # merged into Tiên Kiên's Khu 1
            f"hh_{a['xuan_lung_1'].pk}": "0",
            f"team_{t['tk1'].pk}": merged,
            f"team_{t['xl1'].pk}": merged,
            f"leader::{merged.lower()}": str(m["an"].pk),
        },
    )
    page = client.post(_url(co), {**data, "action": "preview"}).content.decode()
    assert "Tổ gộp vượt định mức: ghi lý do trước khi xác nhận" in page
    assert f'name="quota::{merged.lower()}"' in page
    refused = client.post(_url(co), {**data, "action": "confirm"}, follow=True)
    assert "Ghi lý do vượt định mức" in refused.content.decode()
    assert not CarryOver.objects.exists()
    too_long = {**data, f"quota::{merged.lower()}": "x" * 501, "action": "confirm"}
    text = client.post(_url(co), too_long, follow=True).content.decode()
    assert "dài quá 500 ký tự" in text and not CarryOver.objects.exists()
    reason = "Công văn 15/UBND ngày 20/6/2025 của UBND tỉnh"
    done = client.post(_url(co), {**data, f"quota::{merged.lower()}": reason, "action": "confirm"})
    assert done.status_code == 302
    assert CarryOver.objects.get().plan["teams"][0]["over_quota_reason"] == reason
    shown = client.get(_url(co)).content.decode()
    assert f"{merged} vượt định mức, lý do: {reason}" in shown
