from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls


@hooks.register("register_admin_urls")
def register_wordpress_import_urls():
    return [path("wordpress-import/", include(urls))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item():
    return SuperuserMenuItem(
        "WordPress import", reverse("wordpress_import:index"), icon_name="download", order=620
    )
