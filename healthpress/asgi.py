import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.production")
application = get_asgi_application()

from healthpress.core.checks import refuse_serious_errors  # noqa: E402  (needs the apps loaded)

refuse_serious_errors()  # e.g. a proxy in front with TRUSTED_PROXY_COUNT=0 (core/checks.py)
