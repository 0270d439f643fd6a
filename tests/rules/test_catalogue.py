"""Every key a module reads has a Vietnamese label; every shipped key is read by some module."""

import datetime

import pytest

from rules import mediation, national
from rules.catalogue import has_label
from rules.names import NATIONAL
from rules.parameters import Source, fixture_table, load_fixture_file
from rules.registry import REGISTRY, modules


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_parameter_key_has_a_label(module):
    missing = [key for key in module.PARAMETER_KEYS if not has_label(key)]
    assert not missing, missing


def test_every_national_key_has_a_label():
    assert all(has_label(key) for key in national.PARAMETER_KEYS)
    assert all(has_label(key) for key in mediation.PARAMETER_KEYS)


def test_every_shipped_key_is_read_by_a_module():
    dead = []
    for value in fixture_table():
        if value.jurisdiction == NATIONAL:
            readers = [national.PARAMETER_KEYS]
        else:
            readers = [
                entry.module.PARAMETER_KEYS for entry in REGISTRY.get(value.jurisdiction, [])
            ]
        readers.append(mediation.PARAMETER_KEYS)  # read for every jurisdiction
        if not any(value.key in keys for keys in readers):
            dead.append((value.jurisdiction, value.key))
    assert not dead, dead


def test_every_module_has_a_fixture_and_a_test_file():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for module in modules():
        name = module.__name__.rsplit(".", 1)[-1]
        assert (root / "fixtures" / "rules" / f"{name}.toml").exists(), name
        assert (root / "tests" / "rules" / f"test_{name}.py").exists(), name


def test_unverified_values_say_why():
    for value in fixture_table():
        if value.source in {Source.DEFAULT, Source.DEMO}:
            assert "CHƯA XÁC MINH" in value.note, value.key


def test_a_value_whose_note_names_a_secondary_source_is_not_verified():
    # Issue 12 item 7: press-only figures were flagged verified.
    signals = ("chưa đối chiếu", "Nguồn:", "báo", "CHƯA XÁC MINH")
    for value in fixture_table():
        if any(s in value.note for s in signals):
            assert value.source != Source.RESOLUTION, (value.key, value.jurisdiction)


@pytest.mark.parametrize(
    ("jurisdiction", "key", "day"),
    [
        ("92", "support.base", datetime.date(2024, 7, 15)),  # Cần Thơ 0,8 × base salary: press
        ("01", "support.base", datetime.date(2024, 7, 1)),  # Hà Nội 2.520.000: press
        ("25", "support.to_truong", datetime.date(2024, 7, 1)),  # Phú Thọ: the news summary
        ("94", "support.to_vien", datetime.date(2024, 7, 1)),  # Sóc Trăng: press
        ("", "vsi.state_support.poor", datetime.date(2025, 7, 1)),  # Decree 159 via the press
        ("", "hi.rate", datetime.date(2024, 7, 1)),
    ],
)
def test_press_only_figures_are_press(jurisdiction, key, day):
    value = fixture_table().get(key, jurisdiction=jurisdiction, on=day)
    assert value.source == Source.PRESS and not value.verified
    assert value.as_dict()["source"] == "press" and value.as_dict()["verified"] is False


def test_figures_read_in_the_text_are_verified():
    table = fixture_table()
    for key in ("base_salary", "vsi.rate", "equipment.rubber_baton.share"):
        assert table.get(key, jurisdiction="", on=datetime.date(2024, 7, 1)).verified, key


def test_the_loader_wants_a_source_and_refuses_the_old_flag(tmp_path):
    row = '[[parameter]]\nkey = "base_salary"\nunit = "vnd"\nvalue = "1"\nfrom = 2024-07-01\ncitation = "x"\n'
    missing = tmp_path / "missing.toml"
    missing.write_text(row, encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_fixture_file(missing)
    old = tmp_path / "old.toml"
    old.write_text('source = "resolution"\n' + row + "verified = false\n", encoding="utf-8")
    with pytest.raises(ValueError, match="verified"):
        load_fixture_file(old)
    mixed = tmp_path / "mixed.toml"
    mixed.write_text('source = "resolution"\n' + row + 'source = "demo"\n', encoding="utf-8")
    assert load_fixture_file(mixed)[0].source == Source.DEMO


def test_a_key_only_one_resolution_reads_is_named_in_its_fixture(tmp_path, monkeypatch):
    from rules import catalogue

    (tmp_path / "j31_hai_phong_2024.toml").write_text(
        'jurisdiction = "31"\nsource = "demo"\n\n[labels]\n'
        '"support.seniority_per_year" = "Mức hỗ trợ thêm cho mỗi năm tham gia"\n\n'
        '[[parameter]]\nkey = "support.seniority_per_year"\nunit = "vnd"\nvalue = "50000"\n'
        'from = 2024-07-01\ncitation = "NQ thử"\nnote = "CHƯA XÁC MINH: thử."\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "FIXTURES_DIR", tmp_path)
    catalogue.fixture_labels.cache_clear()
    try:
        assert has_label("support.seniority_per_year")
        [value] = load_fixture_file(tmp_path / "j31_hai_phong_2024.toml")
        assert value.label == "Mức hỗ trợ thêm cho mỗi năm tham gia"
    finally:
        monkeypatch.undo()
        catalogue.fixture_labels.cache_clear()
    assert not has_label("support.seniority_per_year")  # the shipped fixtures do not name it


def test_a_choice_parameter_is_named_in_words_in_a_documents_footnote():
    """The footnote of unverified values reads «… = tỉnh không hỗ trợ thêm», not the stored
    code, and the label lists no codes (officers read it on the insurance list)."""
    from rules.catalogue import CHOICE_NAMES, choice_name, parameter_label
    from rules.snapshots import unverified_in

    entry = {"key": "vsi.province.mode", "jurisdiction": "92", "value": "none",
             "effective_from": "2025-07-01", "source": "default", "verified": False}  # fmt: skip
    (value,) = unverified_in([[entry]])
    assert "= tỉnh không hỗ trợ thêm" in str(value) and "none" not in str(value)
    for key, names in CHOICE_NAMES.items():
        assert not any(code in parameter_label(key) for code in names), key
        assert choice_name(key, "mã lạ") == "mã lạ"
