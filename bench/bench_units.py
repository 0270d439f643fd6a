"""Loading the official administrative units (both trees and the conversion table)."""

from bench import harness

harness.setup()

from teams.models import AdministrativeUnit, UnitSuccession  # noqa: E402
from teams.official_units import units_import  # noqa: E402

with harness.timed("first import (empty database)", rows=None):
    units_import()
units = AdministrativeUnit.objects.count()
links = UnitSuccession.objects.count()
print(f"   units: {units:,}; succession links: {links:,}")
with harness.timed("second import (nothing to change)", rows=units, unit="units checked"):
    units_import()
