"""System checks on settings that would quietly make a rule wrong. `manage.py check`, `migrate`
(so `make serve`) and `runserver` run them; the WSGI and ASGI entry points, which Django starts
without checks, refuse to serve while a security check reports an error
(`refuse_serious_errors`)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def proxy_settings(app_configs=None, **kwargs):
    """The client address (core/clients.py) that the sign-in lockout and the rate limits count:
    behind a proxy it is only right when TRUSTED_PROXY_COUNT says how many proxies append to
    X-Forwarded-For."""
    behind, count = settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT
    if behind and count <= 0:
        return [
            checks.Error(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXY_COUNT is 0: every client would have "
                "the proxy's address.",
                hint="Ten wrong passwords from anyone would pause every account's sign-in and "
                "every reader would share one rate limit. Set TRUSTED_PROXY_COUNT to the number "
                "of proxies that append to X-Forwarded-For (1 for one nginx; docs/deploy.md).",
                id="healthpress.E001",
            )
        ]
    if count > 0 and not behind:
        return [
            checks.Warning(
                f"TRUSTED_PROXY_COUNT is {count} but BEHIND_TLS_PROXY is off.",
                hint="The client address is then read from X-Forwarded-For, which a client "
                "writes itself unless a proxy in front appends to it. Behind a TLS proxy set "
                "BEHIND_TLS_PROXY=true; with no proxy, TRUSTED_PROXY_COUNT=0.",
                id="healthpress.W001",
            )
        ]
    return []


def refuse_serious_errors():
    """Raise ImproperlyConfigured, naming them, if a security check reports an error that is
    not silenced (SILENCED_SYSTEM_CHECKS)."""
    errors = [
        message
        for message in checks.run_checks(tags=[checks.Tags.security])
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured("Refusing to start:\n" + "\n".join(map(str, errors)))
