import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthpress.settings.production")

from healthpress.pagecache.front import PageCacheWSGI  # noqa: E402  (needs settings first)

# Cache hits are answered before Django builds a request: see healthpress/pagecache/front.py.
application = PageCacheWSGI(get_wsgi_application())
