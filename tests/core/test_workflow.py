"""The shared approval machinery: roles, required comments, stale pages, locked states."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.workflow import Transition, Workflow, WorkflowConflict
from teams.access import Perm, can
from tests.testapp.models import Paper, PaperAction

FLOW = Workflow(
    [
        Transition("submit", ("draft", "returned"), "submitted", Perm.RUN_ALLOWANCES, "Gửi duyệt"),
        Transition(
            "return",
            ("submitted",),
            "returned",
            Perm.APPROVE_ALLOWANCES,
            "Trả lại",
            comment_required=True,
        ),
        Transition("approve", ("submitted",), "approved", Perm.APPROVE_ALLOWANCES, "Phê duyệt"),
    ],
    allowed=can,
    locked_states={"approved"},
    state_labels={
        "draft": "Nháp",
        "submitted": "Chờ duyệt",
        "returned": "Bị trả lại",
        "approved": "Đã duyệt",
    }.get,
)


@pytest.fixture
def paper(world):
    return Paper.objects.create(unit=world.units["tien_kien"])


def step(paper, name, user, **kwargs):
    return FLOW.apply(
        paper,
        name,
        actor=user,
        unit=paper.unit,
        record=lambda **f: PaperAction.objects.create(paper=paper, **f),
        **kwargs,
    )


def test_a_full_round_with_a_return(world, paper):
    officer, finance = world.users["canbo_xa1"], world.users["taichinh_huyen"]
    step(paper, "submit", officer)
    step(paper, "return", finance, comment="Thiếu quyết định công nhận của 01 thành viên")
    step(paper, "submit", officer)
    step(paper, "approve", finance)
    paper.refresh_from_db()
    assert paper.state == "approved" and FLOW.is_locked(paper.state)
    trail = list(paper.actions.values_list("from_state", "to_state", "actor__username"))
    assert trail == [
        ("draft", "submitted", "canbo_xa1"),
        ("submitted", "returned", "taichinh_huyen"),
        ("returned", "submitted", "canbo_xa1"),
        ("submitted", "approved", "taichinh_huyen"),
    ]


def test_returning_needs_a_reason(world, paper):
    step(paper, "submit", world.users["canbo_xa1"])
    with pytest.raises(ValidationError, match="lý do"):
        step(paper, "return", world.users["taichinh_huyen"], comment="   ")
    assert Paper.objects.get().state == "submitted"


def test_roles_are_checked_at_the_objects_unit(world, paper):
    step(paper, "submit", world.users["canbo_xa1"])
    for user in ["canbo_xa1", "bhxh_huyen", "congan_tinh", "taichinh_khac"]:
        with pytest.raises(PermissionDenied):
            step(paper, "approve", world.users[user])
    assert not PaperAction.objects.filter(to_state="approved").exists()


def test_an_out_of_date_page_changes_nothing(world, paper):
    step(paper, "submit", world.users["canbo_xa1"])
    stale = Paper.objects.get(pk=paper.pk)
    step(paper, "approve", world.users["taichinh_huyen"], seen_state="submitted")
    with pytest.raises(WorkflowConflict, match="Đã duyệt"):
        step(stale, "return", world.users["taichinh_huyen"], comment="x", seen_state="submitted")
    assert PaperAction.objects.count() == 2


def test_nothing_leaves_the_locked_state(world, paper):
    step(paper, "submit", world.users["canbo_xa1"])
    step(paper, "approve", world.users["taichinh_huyen"])
    with pytest.raises(ValidationError, match="Đã duyệt"):
        step(paper, "submit", world.users["canbo_xa1"])


def test_available_buttons_follow_role_and_state(world, paper):
    officer, finance = world.users["canbo_xa1"], world.users["taichinh_huyen"]
    assert [t.name for t in FLOW.available(paper, actor=officer, unit=paper.unit)] == ["submit"]
    assert FLOW.available(paper, actor=finance, unit=paper.unit) == []
    step(paper, "submit", officer)
    names = [t.name for t in FLOW.available(paper, actor=finance, unit=paper.unit)]
    assert names == ["return", "approve"]


def test_check_refuses_what_apply_refuses_and_writes_nothing(
    world, paper, django_assert_num_queries
):
    """`check` (steps written in bulk, the demo's) makes `apply`'s checks without the database:
    the target state of an allowed step, the same refusals otherwise."""
    officer, finance = world.users["canbo_xa1"], world.users["taichinh_huyen"]
    for user in (officer, finance):  # (their assignments are read once, as on a page)
        FLOW.available(paper, actor=user, unit=paper.unit)

    def check(state, name, user, comment=""):
        return FLOW.check(state, name, actor=user, unit=paper.unit, comment=comment)

    with django_assert_num_queries(0):
        assert check("draft", "submit", officer) == "submitted"
        assert check("submitted", "return", finance, comment=" Thiếu hồ sơ ") == "returned"
        assert check("returned", "submit", officer) == "submitted"
        assert check("submitted", "approve", finance) == "approved"
        with pytest.raises(ValidationError, match="lý do"):
            check("submitted", "return", finance, comment="   ")
        with pytest.raises(PermissionDenied):
            check("submitted", "approve", officer)
        with pytest.raises(ValidationError, match="Đã duyệt"):
            check("approved", "submit", officer)
    assert PaperAction.objects.count() == 0 and Paper.objects.get().state == "draft"
