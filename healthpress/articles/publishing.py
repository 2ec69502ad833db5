"""Who may put an article in front of readers, and who may take it down.

Every path that publishes, moves or unpublishes a page in Wagtail asks the page's
`permissions_for_user()` tester: the edit, create and revision views, the bulk actions, the move
view, the unpublish view, scheduled publishing (checked when the revision is scheduled), and the
`revision.publish(user=...)` action underneath them all. `ArticlePage.permissions_for_user`
returns `ArticlePermissionTester`, so the rule below is the one they all get, whatever publish
permission a group holds in Settings → Groups:

- publishing an article directly (and moving a live one, which Wagtail treats as publishing it
  at the new address): administrators only. Everyone else submits the article, and a medical
  reviewer's approval publishes it (review.publish_on_approval).
- taking one down (unpublishing it, cancelling a scheduled publication): administrators and
  whoever holds `articles.unpublish_article` (the "Medical reviewers" group, from migration
  0005), at once, without a review.

Two paths ask the parent page (a topic) instead of the article: creating and publishing in one go
and copying with "Publish copies". wagtail_hooks.py points both at these rules too
(`before_create_page`, `before_copy_page`).

Publishing from the command line (`import_articles --publish`, `load_demo`) has no admin user and
no permission check: it is the operator's act, logged by `log_operator_publish`.
"""

import getpass

from wagtail.log_actions import LogFormatter, log
from wagtail.models import PagePermissionTester

UNPUBLISH_PERMISSION = "articles.unpublish_article"
OPERATOR_PUBLISH = "healthpress.publish.operator"


def may_publish_articles(user):
    """Publishing an article without review is the administrators' escape hatch (a typo fix)."""
    return bool(user and user.is_active and user.is_superuser)


def may_take_down_articles(user):
    """Taking an article down must stay quick: no review needed, only this permission."""
    return bool(user and user.is_active and user.has_perm(UNPUBLISH_PERMISSION))


class ArticlePermissionTester(PagePermissionTester):
    """Wagtail's tester for one article and one user, with the publishing rules above."""

    def can_publish(self):
        return super().can_publish() and may_publish_articles(self.user)

    def can_unpublish(self):
        if not self.user.is_active or not self.page.live or self.page_locked():
            return False
        return may_take_down_articles(self.user)

    def can_unschedule(self):
        # Cancelling a scheduled publication keeps the article off the site: a take-down.
        return may_take_down_articles(self.user)

    def can_move_to(self, destination):
        # Wagtail treats moving a live page as publishing it in the new section; it asks the
        # destination's group permissions, which say nothing about review.
        if not super().can_move_to(destination):
            return False
        return not self.page.live or may_publish_articles(self.user)


def operator_name():
    """The account running the command, for the log; empty when the system cannot say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def log_operator_publish(page, revision, via):
    """Record in the page's history (and Reports → Site history) that an article was published
    by an operator, from the command line, with or without a medical review on record."""
    log(
        instance=page,
        action=OPERATOR_PUBLISH,
        revision=revision,
        data={
            "via": via,
            "operator": operator_name(),
            "reviewed_on": page.last_reviewed.isoformat() if page.last_reviewed else None,
            "reviewer": page.reviewer.name if page.reviewer_id else None,
        },
    )


class OperatorPublishFormatter(LogFormatter):
    label = "Publish from the command line"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        said = "Published from the command line"
        by = ", ".join(part for part in (data.get("via"), data.get("operator")) if part)
        if by:
            said += f" ({by})"
        if data.get("reviewed_on"):
            return f"{said}, with the review by {data.get('reviewer')} on {data['reviewed_on']}"
        return f"{said}, not medically reviewed"
