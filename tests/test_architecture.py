"""The import-linter contracts (pyproject.toml, run by `make lint`) only guard the packages
they are told about: a new app must be placed in them, or it could import anything."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

PYPROJECT = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
IMPORTLINTER = PYPROJECT["tool"]["importlinter"]


def _project_apps() -> set[str]:
    base = Path(settings.BASE_DIR)
    return {
        app.name
        for app in apps.get_app_configs()
        # A folder at the top of the repository (not .venv's packages, not tests.testapp).
        if Path(app.path).parent == base and app.name != "config"
    }


def _layered() -> set[str]:
    (layers,) = [c for c in IMPORTLINTER["contracts"] if c["type"] == "layers"]
    return {
        name.strip().strip("()")
        for layer in layers["layers"]
        for name in layer.replace(":", "|").split("|")
    }


def test_every_app_is_a_root_package_of_the_contracts():
    missing = _project_apps() - set(IMPORTLINTER["root_packages"])
    assert not missing, f"add {sorted(missing)} to [tool.importlinter] root_packages"


def test_every_app_has_a_layer():
    missing = _project_apps() - _layered()
    assert not missing, f"place {sorted(missing)} in the layers contract of [tool.importlinter]"


def test_every_root_package_has_a_layer_and_is_type_checked():
    roots = set(IMPORTLINTER["root_packages"])
    assert roots <= _layered()
    assert roots <= set(PYPROJECT["tool"]["mypy"]["files"])


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_apps_fits_the_database():
    """Every form an app defines derives from core.forms.Form / ModelForm (or mixes in
    FitsDatabase), so typed numbers, ids and dates are bounded (issue 16 §4)."""
    import importlib
    import pkgutil

    from django import forms

    from core.forms import FitsDatabase

    for root in IMPORTLINTER["root_packages"]:
        package = importlib.import_module(root)
        for info in pkgutil.walk_packages(package.__path__, f"{root}."):
            if ".migrations" not in info.name and not info.name.endswith(".tests"):
                importlib.import_module(info.name)
    roots = tuple(f"{r}." for r in IMPORTLINTER["root_packages"])
    ours = {c for c in _subclasses(forms.BaseForm) if c.__module__.startswith(roots)}
    assert len(ours) > 20
    unfitted = sorted(
        f"{c.__module__}.{c.__name__}" for c in ours if not issubclass(c, FitsDatabase)
    )
    assert not unfitted, f"derive these from core.forms.Form / ModelForm: {unfitted}"
