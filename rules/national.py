"""National parameters (jurisdiction ""), dated and cited in fixtures/rules/national.toml:

- ``base_salary``: Decree 24/2023/NĐ-CP (1,800,000 from 01/07/2023), Decree 73/2024/NĐ-CP
  (2,340,000 from 01/07/2024);
- ``regional_minimum_wage.I``…``IV``: Decree 74/2024/NĐ-CP from 01/07/2024, Decree
  293/2025/NĐ-CP from 01/01/2026;
- VSI: ``rural_poverty_line`` (income floor), ``vsi.rate``, ``vsi.income_ceiling_multiple``,
  ``vsi.state_support.<group>`` and ``vsi.state_support.max_months`` (Decree 134/2015/NĐ-CP, then
  Decree 159/2025/NĐ-CP from 01/07/2025);
- HI: ``hi.rate`` and ``hi.state_support.antt`` (Decree 188/2025/NĐ-CP from 15/08/2025).

The arithmetic that uses them is in ``rules.insurance`` and ``rules.support``.
"""

from .insurance import NATIONAL_KEYS as INSURANCE_KEYS
from .support import REGIONS

PARAMETER_KEYS = [
    *INSURANCE_KEYS,
    *(f"regional_minimum_wage.{region}" for region in REGIONS),
]
