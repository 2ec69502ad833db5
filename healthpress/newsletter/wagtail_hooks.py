"""The "Newsletter" menu of the Wagtail admin, and its dashboard panel."""

from django.contrib.auth.models import Permission
from django.urls import path
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from healthpress.core.admin_listing import ListingOnlyViewSet

from . import admin_views
from .admin_views import may_manage
from .dashboard import NewsletterPanel
from .importing import spreadsheet_safe
from .models import Edition, Subscriber

# Before the viewset registers: Wagtail would otherwise ask Edition's own permissions.
register_permission_policy(Edition, admin_views.EditionsPolicy(Edition))


class SafeExportIndexView(IndexView):
    """CSV/XLSX export where a cell can never run as a spreadsheet formula."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if isinstance(value, str) else value


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    index_view_class = SafeExportIndexView
    list_display = ["email", "status", "frequency", "paused", "created_at", "confirmed_at"]
    list_filter = ["status", "frequency", "paused", "topics"]
    search_fields = ["email"]
    search_backend_name = None  # the database's own matching: no search index to maintain
    list_export = [
        "email",
        "status",
        "frequency",
        "paused",
        "created_at",
        "consent_at",
        "consent_ip",
        "consent_wording",
        "consent_source",
        "confirmed_at",
        "unsubscribed_at",
        "hard_bounces",
    ]
    export_filename = "newsletter-subscribers"
    ordering = ["-created_at"]
    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("status"),
        FieldPanel("frequency"),
        FieldPanel("paused"),
        FieldPanel("all_topics"),
        FieldPanel("topics"),
        MultiFieldPanel(
            [
                FieldPanel("consent_at", read_only=True),
                FieldPanel("consent_ip", read_only=True),
                FieldPanel("consent_wording", read_only=True),
                FieldPanel("consent_source", read_only=True),
                FieldPanel("confirmed_at", read_only=True),
                FieldPanel("hard_bounces", read_only=True),
            ],
            heading="Consent record",
        ),
    ]


class SingleViewSet(ViewSet):
    """One admin page in the Newsletter menu."""

    view_class = None

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]


class EditionsViewSet(ListingOnlyViewSet):
    """Wagtail's listing of the editions, and nothing else: no add, edit, delete or copy."""

    model = Edition
    name = "newsletter_editions"
    menu_label = "Editions"
    icon = "history"
    index_view_class = admin_views.EditionIndexView

    def get_permissions_to_register(self):
        # Seeing editions comes with newsletter.change_subscriber (EditionsPolicy): Edition's
        # own permissions would grant nothing, so Settings → Groups does not list them.
        return Permission.objects.none()


class ImportViewSet(SingleViewSet):
    name = "newsletter_import"
    menu_label = "Import CSV"
    icon = "upload"
    view_class = admin_views.ImportView


class TestEditionViewSet(SingleViewSet):
    name = "newsletter_test_edition"
    menu_label = "Send a test edition"
    icon = "mail"
    view_class = admin_views.TestEditionView


class DataRequestViewSet(SingleViewSet):
    name = "newsletter_data"
    menu_label = "Data requests"
    icon = "lock"
    view_class = admin_views.DataRequestView


class NewsletterGroup(ViewSetGroup):
    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 300
    items = (
        SubscriberViewSet,
        EditionsViewSet,
        ImportViewSet,
        TestEditionViewSet,
        DataRequestViewSet,
    )


@hooks.register("register_admin_viewset")
def register_newsletter_admin():
    return NewsletterGroup()


@hooks.register("register_two_factor_permissions")
def managing_subscribers_needs_a_second_step():
    # Subscribers' addresses, imports and exports (signin/two_factor.py).
    return ["newsletter.change_subscriber"]


@hooks.register("construct_homepage_panels")
def add_newsletter_panel(request, panels):
    if may_manage(request.user):
        panels.append(NewsletterPanel())
