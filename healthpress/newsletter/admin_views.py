"""Newsletter tools in the Wagtail admin: the editions listing (Wagtail's generic listing, read
only), CSV import, a test edition, and data-rights requests."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .data import erase_address, export_address
from .importing import import_subscribers
from .models import Edition, Subscriber, with_counts
from .pipeline import send_test_edition

FORMAT = "Y-m-d H:i"


def may_manage(user):
    """Who uses the newsletter's admin pages (and sees its dashboard panel)."""
    return user.has_perm("newsletter.change_subscriber")


class NewsletterAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EditionsPolicy(BasePermissionPolicy):
    """Who sees the editions: whoever may change subscribers, as on the other newsletter pages.
    Only "view": editions are made by the sender, never in the admin."""

    @cached_property
    def subscribers(self):
        return policy_registry.get_by_type(Subscriber)

    def user_has_permission(self, user, action):
        return action == "view" and self.subscribers.user_has_permission(user, "change")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return self.subscribers.users_with_permission("change")


def finished(edition):
    return (
        date_format(localtime(edition.finished_at), FORMAT)
        if edition.finished_at
        else "in progress"
    )


class EditionIndexView(IndexView):
    """Every sending run, newest first, with its deliveries counted by status (with_counts)."""

    page_title = "Newsletter editions"
    header_icon = "history"
    default_ordering = "-created_at"
    columns = [
        Column("pk", label="Edition", sort_key="pk"),
        Column(
            "created_at",
            label="Started",
            accessor=lambda e: date_format(localtime(e.created_at), FORMAT),
            sort_key="created_at",
        ),
        Column("finished_at", label="Finished", accessor=finished, sort_key="finished_at"),
        NumberColumn("sent_count", label="Sent", sort_key="sent_count"),
        NumberColumn("failed_count", label="Failed", sort_key="failed_count"),
        NumberColumn("skipped_count", label="Skipped", sort_key="skipped_count"),
        NumberColumn("pending_count", label="Pending", sort_key="pending_count"),
    ]

    def get_base_queryset(self):
        return with_counts(Edition.objects.all())

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")

    @cached_property
    def no_results_message(self):
        return (
            "No edition has been sent yet. Run python manage.py send_newsletter (hourly from "
            "cron) once subscribers have confirmed and articles are published."
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One address per line, or a column headed “email”. UTF-8, at most 5 MB.",
    )
    source = forms.CharField(
        max_length=150,
        label="Where these addresses come from",
        help_text="Kept with each subscriber's consent record, e.g. “Spring fair sign-up sheet”.",
    )
    consent = forms.ChoiceField(
        label="Consent",
        widget=forms.RadioSelect,
        choices=[
            (
                "consented",
                "Everyone in this file agreed to receive this newsletter: subscribe them now",
            ),
            ("confirm", "Ask each of them to confirm by email first (double opt-in)"),
        ],
        help_text="Required: choose one. Only import people who asked for the newsletter.",
    )

    def clean_source(self):
        source = self.cleaned_data["source"].strip()
        if any(ch in source for ch in "\r\n"):
            raise ValidationError("Keep the source on one line.")
        return source


class ImportView(NewsletterAdminMixin, FormView):
    page_title = "Import subscribers"
    template_name = "newsletter/admin/import.html"
    form_class = ImportForm

    def form_valid(self, form):
        try:
            result = import_subscribers(
                form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                consented=form.cleaned_data["consent"] == "consented",
                user_label=self.request.user.get_username(),
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=ImportForm(), result=result))


class TestEditionView(NewsletterAdminMixin, TemplateView):
    page_title = "Send a test edition"
    template_name = "newsletter/admin/test_edition.html"

    def post(self, request):
        address = request.user.email
        if not address:
            messages.error(request, "Your account has no email address: add one first.")
        elif send_test_edition(address):
            messages.success(request, f"A test edition was sent to {address}.")
        else:
            messages.error(
                request,
                "Nothing was sent: there are no published articles, or the mail "
                "server did not accept the message.",
            )
        return redirect(reverse("newsletter_test_edition:index"))


class DataRequestForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    action = forms.ChoiceField(
        choices=[("export", "Export everything stored (JSON)"), ("erase", "Erase everything")],
        widget=forms.RadioSelect,
        initial="export",
    )
    confirm_erase = forms.BooleanField(
        required=False, label="I understand that erasing cannot be undone"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "erase" and not cleaned.get("confirm_erase"):
            self.add_error("confirm_erase", "Tick this box to erase.")
        return cleaned


class DataRequestView(NewsletterAdminMixin, FormView):
    page_title = "Data requests"
    template_name = "newsletter/admin/data_request.html"
    form_class = DataRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if form.cleaned_data["action"] == "export":
            record = export_address(email)
            if record is None:
                messages.warning(self.request, f"Nothing is stored for {email}.")
                return redirect(reverse("newsletter_data:index"))
            response = HttpResponse(
                json.dumps(record, indent=2, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
            return response
        if erase_address(email):
            messages.success(self.request, f"Everything stored for {email} was erased.")
        else:
            messages.warning(self.request, f"Nothing is stored for {email}.")
        return redirect(reverse("newsletter_data:index"))
