from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only in the test database, to test shared machinery on its own."""

    name = "tests.testapp"
    label = "testapp"
