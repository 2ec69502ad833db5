import pytest
from django.contrib.auth import get_user_model

from .steps import PASSWORD


@pytest.fixture
def required(settings):
    """Two-step sign-in as production has it (ADMIN_TWO_FACTOR on)."""
    settings.ADMIN_TWO_FACTOR = True


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", PASSWORD)
