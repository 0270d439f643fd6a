"""Logging filters for the project's LOGGING setting (config/settings/base.py).

Django logs every refused request on ``django.request`` at WARNING, and for a 403 it attaches
the PermissionDenied exception, so each one printed a full traceback into the server's log:
a read-only role pressing a button it may not use is an ordinary event, not an error. The one
line (``Forbidden (Permission denied): /path``, with its status code) is kept; the traceback
is dropped. Errors (5xx) keep theirs.
"""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
