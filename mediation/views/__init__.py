"""Pages of grassroots mediation, one module per topic. Thin: objects through mediation.access
(404 for another unit's ids), POSTs through core.views.submit into mediation.services, reads
from selectors.

- teams.py: the unit page, teams and their mediators (election, consolidation, leaving)
- cases.py: the case book, its PDF, Excel and import
- payments.py: remuneration lists
- accidents.py: support for a mediator hurt while mediating
- reports.py: the yearly report and the statistics (indicators), PDF and Excel
- background.py: documents made in the background (core.job_views)

Every view is named here, so that mediation/urls.py reads `views.<name>`.
"""

from .accidents import accident_create, accident_detail, accident_document
from .background import document_download, document_job, document_restart
from .cases import book_import, book_pdf, book_xlsx, case_create, case_detail, case_replace
from .payments import payment_detail, payment_pdf, payment_xlsx, payments
from .reports import report, report_pdf, report_xlsx, statistics
from .teams import (
    consolidation,
    election,
    home,
    mediator_add,
    mediator_detail,
    mediator_end,
    team_create,
    team_detail,
    team_edit,
)

__all__ = [
    "accident_create",
    "accident_detail",
    "accident_document",
    "book_import",
    "book_pdf",
    "book_xlsx",
    "case_create",
    "case_detail",
    "case_replace",
    "consolidation",
    "document_download",
    "document_job",
    "document_restart",
    "election",
    "home",
    "mediator_add",
    "mediator_detail",
    "mediator_end",
    "payment_detail",
    "payment_pdf",
    "payment_xlsx",
    "payments",
    "report",
    "report_pdf",
    "report_xlsx",
    "statistics",
    "team_create",
    "team_detail",
    "team_edit",
]
