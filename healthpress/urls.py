from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.models import UploadedFile

from healthpress.core import views as core_views
from healthpress.signin import views as signin_views
from healthpress.sitemaps import sitemap_index, sitemap_section

# One sign-in (signin/views.py): Wagtail's front-end login leads to the admin's, which asks for
# the second step, and its shared-password forms are off. Ahead of Wagtail's own patterns.
signin_overrides = [
    path("_util/login/", signin_views.front_end_login),
    path(
        "_util/authenticate_with_password/<int:restriction_id>/<int:page_id>/",
        signin_views.no_shared_passwords,
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        signin_views.no_shared_passwords,
    ),
]

urlpatterns = signin_overrides + [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap_section"),
    path("authors/", include("healthpress.people.urls")),
    path("search/", include("healthpress.search.urls")),
    path("newsletter/", include("healthpress.newsletter.urls")),
    path("comments/", include("healthpress.comments.urls")),
    path("feeds/", include("healthpress.articles.urls")),
    path("", include("healthpress.questions.urls")),
    path("", include("healthpress.health.urls")),
    path("", include("healthpress.api.urls")),  # /api/v1/ and /embed/ (docs/api.md)
]

# Before any /media/ serving (DEBUG below; nginx in docs/deploy.md does the same): originals, and
# the pictures Wagtail's multiple uploader holds until their form is complete (its UploadedFile).
HELD_UPLOADS = UploadedFile._meta.get_field("file").upload_to  # "wagtail_uploads"
urlpatterns += [
    path(f"{settings.MEDIA_URL.lstrip('/')}original_images/<path:path>", core_views.private_upload),
    path(f"{settings.MEDIA_URL.lstrip('/')}{HELD_UPLOADS}/<path:path>", core_views.private_upload),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
handler500 = "healthpress.core.views.server_error"
