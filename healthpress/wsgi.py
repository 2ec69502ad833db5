import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.production")

from healthpress.core.checks import refuse_serious_errors  # noqa: E402  (needs settings first)
from healthpress.pagecache.front import PageCacheWSGI  # noqa: E402

django_application = get_wsgi_application()
refuse_serious_errors()  # e.g. a proxy in front with TRUSTED_PROXY_COUNT=0 (core/checks.py)
# Cache hits are answered before Django builds a request: see healthpress/pagecache/front.py.
application = PageCacheWSGI(django_application)
