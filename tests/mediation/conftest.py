import pytest

from tests.mediation.helpers import Side


@pytest.fixture
def side(world, settings, tmp_path):
    """Mỹ Tú's mediation objects, with uploaded documents in a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path
    return Side(world)
