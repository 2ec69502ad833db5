import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.production")

from healthpress.core.pagecache import PageCacheWSGI  # noqa: E402  (needs settings first)

# Cache hits are answered before Django builds a request: see healthpress/core/pagecache.py.
application = PageCacheWSGI(get_wsgi_application())
