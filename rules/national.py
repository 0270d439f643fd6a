"""National parameters (jurisdiction ""), dated and cited in fixtures/rules/national.toml:

- ``base_salary``: Decree 24/2023/NĐ-CP (1,800,000 from 01/07/2023), Decree 73/2024/NĐ-CP
  (2,340,000 from 01/07/2024);
- ``regional_minimum_wage.I``…``IV``: Decree 74/2024/NĐ-CP from 01/07/2024, Decree
  293/2025/NĐ-CP from 01/01/2026;
- VSI: ``rural_poverty_line`` (income floor), ``vsi.rate``, ``vsi.income_ceiling_multiple``,
  ``vsi.state_support.<group>`` and ``vsi.state_support.max_months`` (Decree 134/2015/NĐ-CP, then
  Decree 159/2025/NĐ-CP from 01/07/2025);
- HI: ``hi.rate`` and ``hi.state_support.antt`` (Decree 188/2025/NĐ-CP from 15/08/2025).

- equipment: ``equipment.<item>.<part>`` (Circular 14/2024/TT-BCA Art. 8; Decree 40/2024/NĐ-CP
  Art. 4) for the annual report's needs.

The arithmetic that uses them is in ``rules.insurance``, ``rules.support`` and
``rules.equipment``.
"""

from .equipment import PARAMETER_KEYS as EQUIPMENT_KEYS
from .insurance import NATIONAL_KEYS as INSURANCE_KEYS
from .support import REGIONS

PARAMETER_KEYS = [
    *INSURANCE_KEYS,
    *EQUIPMENT_KEYS,
    *(f"regional_minimum_wage.{region}" for region in REGIONS),
]
