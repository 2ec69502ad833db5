"""System checks on the settings (core/checks.py): behind a proxy the client address must come
from X-Forwarded-For, or every client is the proxy and one sprayer pauses every sign-in."""

import pytest

from healthpress.core.checks import proxy_settings

from .test_settings import run_settings


@pytest.mark.parametrize(
    ("behind_tls_proxy", "trusted_proxy_count", "found"),
    [
        (True, 0, ["healthpress.E001"]),  # the proxy's address for everyone: refused
        (False, 1, ["healthpress.W001"]),  # a forgeable header unless a proxy appends to it
        (True, 1, []),
        (False, 0, []),
    ],
)
def test_a_proxy_needs_its_count(settings, behind_tls_proxy, trusted_proxy_count, found):
    settings.BEHIND_TLS_PROXY = behind_tls_proxy
    settings.TRUSTED_PROXY_COUNT = trusted_proxy_count
    assert [message.id for message in proxy_settings()] == found


def test_production_refuses_to_start_behind_a_proxy_it_cannot_count(tmp_path):
    production = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "health.example",
        "EMAIL_HOST": "smtp.health.example",
        "HEALTHPRESS_VAR_DIR": str(tmp_path),
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "0",
    }
    started = run_settings(
        "healthpress.settings.production", production, code="import healthpress.wsgi"
    )
    assert started.returncode != 0
    assert "healthpress.E001" in started.stderr and "TRUSTED_PROXY_COUNT" in started.stderr
