"""Every key a module reads has a Vietnamese label; every shipped key is read by some module."""

import pytest

from rules import mediation, national
from rules.catalogue import has_label
from rules.names import NATIONAL
from rules.parameters import fixture_table
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
        if not value.verified:
            assert "CHƯA XÁC MINH" in value.note, value.key
