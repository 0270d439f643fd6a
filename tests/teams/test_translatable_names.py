"""Issue 16 §5: CCCD messages and role names went out in Vietnamese to a reader who chose
English. They now go through gettext at the time they are shown (the lead translates them in
locale/; these tests give the catalogue a translation of their own)."""

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from rules import cccd
from rules.base import ConcurrentPost, TeamRole
from teams.models import POST_LABELS, ROLE_LABELS, Membership, role_label


@pytest.fixture
def english():
    """Translations added to the English catalogue for the test, then taken out again."""
    catalog = trans_real.translation("en")._catalog
    added = {}

    def add(msgid: str, msgstr: str) -> None:
        added[msgid] = catalog.get(msgid)
        catalog[msgid] = msgstr

    yield add
    for msgid, before in added.items():
        if before is None:
            for part in catalog._catalogs:
                part.pop(msgid, None)
        else:
            catalog[msgid] = before


def test_cccd_messages_follow_the_readers_language(english):
    english("Chưa nhập số CCCD.", "No CCCD number entered.")
    english(
        "Số CCCD phải gồm đúng 12 chữ số (đang có %(n)s).",
        "A CCCD number has 12 digits (not %(n)s).",
    )
    with translation.override("en"):
        assert cccd.problems("") == ["No CCCD number entered."]
        assert cccd.problems("12345") == ["A CCCD number has 12 digits (not 5)."]
    with translation.override("vi"):
        assert cccd.problems("") == ["Chưa nhập số CCCD."]
        assert cccd.problems("12345") == ["Số CCCD phải gồm đúng 12 chữ số (đang có 5)."]


def test_the_sex_named_in_a_cccd_message_is_translated_too(english):
    english("nam", "male")
    english("nữ", "female")
    number = cccd.make_number(province_code="025", sex="nam", birth_year=1990, serial=1)
    with translation.override("en"):
        (message,) = cccd.problems(number, sex="nu")
    assert "male" in message and "female" in message


def test_role_and_post_names_follow_the_readers_language(english):
    english("Tổ trưởng", "Team leader")
    english("Đội trưởng đội dân phòng", "Civil defence team captain")
    membership = Membership(role=TeamRole.TO_TRUONG)
    with translation.override("en"):
        assert membership.get_role_display() == "Team leader" == role_label("to_truong")
        assert str(POST_LABELS[ConcurrentPost.DOI_TRUONG_DAN_PHONG]) == "Civil defence team captain"
    with translation.override("vi"):
        assert membership.get_role_display() == "Tổ trưởng"


def test_the_translatable_names_are_the_rules_own_words():
    """The rules keep plain Vietnamese for their traces; the two lists must not drift apart."""
    with translation.override("vi"):
        assert {r: str(label) for r, label in ROLE_LABELS.items()} == {r: r.label for r in TeamRole}
        assert {p: str(label) for p, label in POST_LABELS.items()} == {
            p: p.label for p in ConcurrentPost
        }


def test_duty_kind_names_follow_the_readers_language_and_match_the_rules(english):
    from allowances.models import DUTY_LABELS, DutyEntry
    from rules.base import DutyKind

    english("Ca trực", "Duty shift")
    with translation.override("en"):
        assert DutyEntry(kind=DutyKind.SHIFT).get_kind_display() == "Duty shift"
    with translation.override("vi"):
        assert {k: str(label) for k, label in DUTY_LABELS.items()} == {k: k.label for k in DutyKind}
