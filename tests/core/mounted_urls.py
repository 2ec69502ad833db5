"""A URLconf with Wagtail's pages served under /site/ (tests/core/test_links.py)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("site/", include(wagtail_urls))]
