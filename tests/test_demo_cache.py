"""The demo's cached copy (tests/demo_cache.py) is seeded again when what it is made of
changes: the key follows the project's sources, not the tests'."""

from __future__ import annotations

from tests.demo_cache import sources_digest


def test_the_key_follows_the_sources_and_not_the_tests(tmp_path):
    (tmp_path / "teams").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "fixtures" / "rules").mkdir(parents=True)
    demo = tmp_path / "teams" / "demo.py"
    demo.write_text("SEED = 2024\n")
    rules = tmp_path / "fixtures" / "rules" / "j25.toml"
    rules.write_text("quota = 3\n")
    (tmp_path / "tests" / "test_demo.py").write_text("def test(): pass\n")
    first = sources_digest(tmp_path)
    assert sources_digest(tmp_path) == first

    (tmp_path / "tests" / "test_demo.py").write_text("def test(): assert True\n")
    (tmp_path / "teams" / "__pycache__").mkdir()
    (tmp_path / "teams" / "__pycache__" / "demo.cpython-313.pyc").write_bytes(b"\0")
    (tmp_path / "db.sqlite3").write_bytes(b"\0")
    assert sources_digest(tmp_path) == first

    demo.write_text("SEED = 2025\n")
    assert sources_digest(tmp_path) != first
    demo.write_text("SEED = 2024\n")
    rules.write_text("quota = 4\n")
    assert sources_digest(tmp_path) != first
