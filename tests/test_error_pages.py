"""The 404 and 403 pages: small, Vietnamese, and a way back.

A wrong address, another unit's link or a role that may not act gets a page of its own
(templates/error_base.html): the brand, what happened, why, and "Về trang làm việc". It has no
menu, language switch, sign-out form or script, so that it costs a fraction of a full page (the
access audit alone gets ~3,000 of them) and the browser fetches nothing after it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_another_units_object_is_a_small_vietnamese_404(client, roster):
    roster.client_for(client, "canbo_xa1")
    other = roster.units["xuan_lung"]
    response = client.get(reverse("unit-detail", args=[other.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Không tìm thấy trang hoặc dữ liệu</h1>" in body
    assert "thuộc đơn vị mà tài khoản của bạn không được xem" in body
    assert f'<a class="button" href="{reverse("home")}">Về trang làm việc</a>' in body
    assert '<html lang="vi">' in body
    assert other.name not in body
    # the small page: no menu, forms or script; the stylesheet and the brand stay
    assert [t.name for t in response.templates] == ["404.html", "error_base.html", "_brand.html"]
    assert "mainnav" not in body and "<form" not in body and "<script" not in body
    assert "/static/css/app.css" in body and 'class="brand"' in body


def test_a_role_that_may_not_act_gets_a_small_403_with_the_reason(client, roster):
    roster.client_for(client, "taichinh_huyen")  # finance: reads the roster, never edits it
    response = client.post(reverse("member-add", args=[roster.teams["tk1"].pk]), {})
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Không được phép thực hiện</h1>" in body
    assert "Chỉ cán bộ cấp xã được cập nhật danh sách Tổ bảo vệ ANTT của xã mình." in body
    assert f'href="{reverse("home")}">Về trang làm việc</a>' in body
    assert [t.name for t in response.templates] == ["403.html", "error_base.html", "_brand.html"]


def test_the_error_pages_follow_the_chosen_language(client, roster):
    roster.client_for(client, "canbo_xa1")
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="en">' in body and "Page or data not found" in body


def test_a_404_page_reads_nothing_beyond_the_session_and_its_user(client, roster):
    roster.client_for(client, "canbo_xa1")
    client.get("/khong-co-trang-nay/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert len(queries) == 2, [q["sql"][:80] for q in queries]  # the session, the user
