import pytest

from rules.parameters import fixture_table


@pytest.fixture(scope="session")
def params():
    return fixture_table()
