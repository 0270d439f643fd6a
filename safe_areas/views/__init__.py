"""Pages of the "An toàn về an ninh, trật tự" work, one module per topic. Thin: objects come
through the access helpers (404 when not yours), writes go through core.views.submit to the
services, reads from selectors.

- overview.py: a commune's overview by year
- areas.py: a residential area's year (registration, events, self-assessment, review, decision)
  and its certificate
- establishments.py: agencies, enterprises and schools
- self_management.py: self-management models
- communes.py: the commune's own year
- summary.py: consolidation above the commune, its PDF and Excel, the commune's yearly report
- _base.py: what they share

Every view is named here, so that safe_areas/urls.py reads `views.<name>`.
"""

from .areas import area_assess, area_certificate, area_event, area_transition, area_year
from .communes import commune_year, commune_year_transition
from .establishments import establishment, establishment_add
from .overview import commune_overview
from .self_management import area_models, model_detail
from .summary import commune_report, summary, summary_pdf, summary_xlsx

__all__ = [
    "area_assess",
    "area_certificate",
    "area_event",
    "area_models",
    "area_transition",
    "area_year",
    "commune_overview",
    "commune_report",
    "commune_year",
    "commune_year_transition",
    "establishment",
    "establishment_add",
    "model_detail",
    "summary",
    "summary_pdf",
    "summary_xlsx",
]
