"""django-simple-history's `HistoricalRecords`, with its manager class built once.

Every history row written (simple_history's post_save handler reads `instance.history`) and
every `Model.history` or `instance.history` a page reads goes through simple_history's
`HistoryDescriptor`, which builds a new manager class on each access (`from_queryset`: a new
type, every queryset method inspected and copied). That took longer than writing the history
row itself: a third of the cost of each save of a tracked model, 2,000 of them in `seed_demo`.
The class depends only on the queryset class, so it is built once here; the manager instances
are still made per access, bound to their instance as before. simple_history (3.13) has no
setting for this, hence this subclass; the app's models declare their history with it.
"""

from __future__ import annotations

from typing import Any

from simple_history import manager, models

_classes: dict[tuple[Any, ...], Any] = {}


class HistoryManager(manager.HistoryManager):
    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        made = _classes.get(key)
        if made is None:
            made = _classes[key] = super().from_queryset(queryset_class, class_name)
        return made


class HistoricalRecords(models.HistoricalRecords):
    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
