"""The admin's "WordPress import" pages (Settings → WordPress import), for superusers only:
moving a site across is a decision about the whole site, and `--publish-live` puts articles live
without medical review.

The page offers the exports and uploads folders found in the import folder (runs.py), starts a
run as a background task and shows its progress and report; the report downloads as CSV.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from .models import ImportRun
from .runs import available_exports, available_uploads, import_folder, start_run


def forbidden(request):
    # A 403 response, not PermissionDenied: Wagtail's admin would turn that into a redirect.
    return TemplateResponse(request, "wordpress/admin/forbidden.html", status=403)


class RunForm(forms.Form):
    export = forms.ChoiceField(label="Export file", help_text="A WXR file in the import folder.")
    uploads = forms.ChoiceField(
        label="Uploads folder",
        required=False,
        help_text="A copy of wp-content/uploads in the import folder; images are read from it.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: write nothing, show the report", required=False, initial=True
    )
    publish_live = forms.BooleanField(
        label="Publish what WordPress had published (marked as not medically reviewed)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export"].choices = [(name, name) for name in available_exports()]
        self.fields["uploads"].choices = [("", "None")] + [
            (name, name) for name in available_uploads()
        ]


@require_http_methods(["GET", "POST"])
def index(request):
    if not request.user.is_superuser:
        return forbidden(request)
    form = RunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = start_run(
            request.user,
            data["export"],
            data["uploads"],
            publish_live=data["publish_live"],
            dry_run=data["dry_run"],
        )
        return redirect("wordpress_import:detail", run.pk)
    context = {
        "form": form,
        "folder": import_folder(),
        "has_exports": bool(form.fields["export"].choices),
        "runs": ImportRun.objects.all()[:20],
    }
    return TemplateResponse(request, "wordpress/admin/index.html", context)


def detail(request, pk):
    if not request.user.is_superuser:
        return forbidden(request)
    run = get_object_or_404(ImportRun, pk=pk)
    return TemplateResponse(request, "wordpress/admin/detail.html", {"run": run})


def report_csv(request, pk):
    if not request.user.is_superuser:
        return forbidden(request)
    run = get_object_or_404(ImportRun, pk=pk, status=ImportRun.Status.DONE)
    response = HttpResponse(run.report_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wordpress-import-{run.pk}.csv"'
    return response
