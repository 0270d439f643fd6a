from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel below `teams`: workflow state tables, official documents (PDF),
    spreadsheet exporters, Vietnamese formatting, form helpers and the month/quarter/date-window
    types. It knows no business entity and imports none of the apps above it."""

    name = "core"
    verbose_name = "Dùng chung"
