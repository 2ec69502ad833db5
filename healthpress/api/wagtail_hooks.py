"""The "API keys" page in the admin's Settings menu (admin_views.py)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

urls = (
    [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    ],
    "api_keys",
)


@hooks.register("register_admin_urls")
def register_api_keys_urls():
    return [path("api-keys/", include(urls))]


class ApiKeysMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_settings_menu_item")
def register_api_keys_menu_item():
    return ApiKeysMenuItem("API keys", reverse("api_keys:index"), icon_name="key", order=610)
