"""The insurance fixtures (enrolled members), shared with the inbox tests."""

from tests.insurance.conftest import enrolled, insurance_params  # noqa: F401 (fixtures)
