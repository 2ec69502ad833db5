"""Medical review: who may approve an article, what an approval records and publishes, and
when a review falls due. The workflow task (models.MedicalReviewTask), the article page, the
demo loader and the "Reviews due" report all ask this module, so each rule lives in one place.
Who may publish or take down an article directly: publishing.py."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

REVIEWER_GROUP = "Medical reviewers"
DUE_SOON_DAYS = 30
DEFAULT_INTERVAL_MONTHS = 24


def add_months(day, months):
    """The same day `months` later; the 29th-31st fall back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_months(site=None):
    """The review interval set for `site` (or the default site)."""
    from wagtail.models import Site

    from .models import ReviewSettings

    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DEFAULT_INTERVAL_MONTHS
    return ReviewSettings.for_site(site).review_interval_months


def review_settings_for(request):
    """The request's site settings (Wagtail caches them on the request), or None when no Site
    answers for it yet, as on a fresh install."""
    from wagtail.models import Site

    from .models import ReviewSettings

    if request is None or Site.find_for_request(request) is None:
        return None
    return ReviewSettings.for_request(request)


def set_review(page, reviewer, reviewed_on, *, months=None):
    """Record on `page` (not saved) that `reviewer` checked it on `reviewed_on`."""
    page.reviewer = reviewer
    page.last_reviewed = reviewed_on
    page.next_review_due = add_months(reviewed_on, months or interval_months())


def clear_review(page):
    """Record on `page` (not saved) that no review vouches for what it says now."""
    page.reviewer = None
    page.last_reviewed = None
    page.next_review_due = None


def person_for_user(user):
    from healthpress.people.models import Person

    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def _workflow_submitter(page):
    state = page.current_workflow_state if hasattr(page, "current_workflow_state") else None
    return state.requested_by_id if state else None


def may_approve(page, user):
    """A reviewer approves with their own name on the record, and never their own work: not an
    article they wrote (the author is their Person) nor one they submitted for review."""
    person = person_for_user(user)
    if person is None:
        return False
    page = getattr(page, "specific", page)
    if getattr(page, "author_id", None) == person.pk:
        return False
    return _workflow_submitter(page) != user.pk


def record_approval(task_state, user):
    """Write the reviewer and today's date into the revision that approval will publish (Wagtail
    publishes the page's latest revision), so the published version carries them. Refuses an
    approval `may_approve` does not allow, whatever the admin screen offered."""
    revision = task_state.workflow_state.content_object.get_latest_revision()
    page = revision.as_object()
    if not may_approve(page, user):
        raise PermissionDenied("You cannot approve this article.")
    from .models import ArticlePage

    if not isinstance(page, ArticlePage):
        return
    set_review(page, person_for_user(user), timezone.localdate())
    revision.content = page.serializable_data()
    revision.save(update_fields=["content"])


def publish_on_approval(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: what a finished review workflow does.

    Wagtail's own action publishes as the approving user, so it asks that user's permission to
    publish directly, which nobody but an administrator has for an article (publishing.py). Here
    an approved medical review in the finished workflow is the permission: the latest revision,
    into which record_approval wrote the review, is published (or scheduled) without asking the
    reviewer's own publish permission. A workflow without a medical review approval publishes
    only as Wagtail's would, with the finishing user's permission.

    Imported by Wagtail while its models load: this module imports models only inside functions.
    """
    from wagtail.models import TaskState

    from .models import MedicalReviewTask

    reviewed = TaskState.objects.filter(
        workflow_state=workflow_state,
        status=TaskState.STATUS_APPROVED,
        task__in=MedicalReviewTask.objects.values("pk"),
    ).exists()
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=reviewed)


@dataclass
class ReviewNotice:
    """What the article page says about its review, computed once per render."""

    status: str  # "never", "current", "due_soon" or "overdue"
    due: date | None
    show_overdue_notice: bool
    # False when no review is on record for what the page says (published by an administrator
    # or an operator without one): the page says so instead of staying silent.
    reviewed: bool = True

    @property
    def overdue(self):
        return self.status == "overdue"


def review_status(page, today=None):
    today = today or timezone.localdate()
    if not page.last_reviewed or not page.next_review_due:
        return "never"
    if page.next_review_due < today:
        return "overdue"
    if page.next_review_due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "current"


def review_notice(page, site_settings, today=None):
    show = site_settings.show_overdue_notice if site_settings is not None else True
    return ReviewNotice(
        review_status(page, today), page.next_review_due, show, reviewed=bool(page.last_reviewed)
    )


def due_q(today=None, within_days=DUE_SOON_DAYS):
    """An article never reviewed, overdue, or due within `within_days`, as a filter on its own
    columns (the Article health report asks it of each row without a subquery)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    horizon = today + timedelta(days=within_days)
    return Q(next_review_due__isnull=True) | Q(next_review_due__lte=horizon)


def reviews_due(today=None, within_days=DUE_SOON_DAYS):
    """Live articles never reviewed, overdue, or due within `within_days`: soonest first."""
    from django.db.models import F

    from .models import ArticlePage

    return (
        ArticlePage.objects.live()
        .filter(due_q(today, within_days))
        .select_related("author", "reviewer")
        .order_by(F("next_review_due").asc(nulls_first=True), "title")
    )
