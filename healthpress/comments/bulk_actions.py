"""The moderation decisions as Wagtail bulk actions: approve, reject, mark as spam and delete,
offered in the comments listing's footer once comments are ticked, and in each row's menu.

Wagtail shows a confirmation page (GET) and acts on its POST, with Django's CSRF token. Only
moderators reach either; anyone else gets the 403 page. Each comment goes through its own method
(`Comment.approve()` and the others), so every change is logged with the moderator and
`via="admin bulk"`, and purges the article once the transaction commits.
"""

from wagtail.admin.views.bulk_action import BulkAction

from .admin_views import ModeratorsOnlyMixin, listed_comments
from .models import Comment

VIA = "admin bulk"


class CommentBulkAction(ModeratorsOnlyMixin, BulkAction):
    models = [Comment]
    template_name = "comments/admin/confirm_bulk.html"
    # Subclasses: what the confirmation asks, its button, and the past tense for the message.
    question = ""
    confirm_label = ""
    done = ""

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Wagtail's default answers ids that are not numbers with a server error.
        if not isinstance(object_ids, list):  # "select all": already a queryset of ids
            return Comment.objects.filter(pk__in=object_ids).select_related("article")
        ids = [i for i in object_ids if str(i).isdigit()]
        return Comment.objects.filter(pk__in=ids).select_related("article")

    def get_all_objects_in_listing_query(self, parent_id):
        return listed_comments(self.request, Comment.objects.all()).values_list("pk", flat=True)

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = sum(1 for comment in objects if cls.decide(comment, user))
        return changed, 0

    @classmethod
    def decide(cls, comment, user):
        raise NotImplementedError

    def get_success_message(self, num_parent_objects, num_child_objects):
        plural = "" if num_parent_objects == 1 else "s"
        return f"{num_parent_objects} comment{plural} {self.done}."


class ApproveBulkAction(CommentBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    action_priority = 10
    question = "Publish these comments on their articles?"
    confirm_label = "Yes, approve"
    done = "approved"

    @classmethod
    def decide(cls, comment, user):
        return comment.approve(by=user, via=VIA)


class RejectBulkAction(CommentBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected comments"
    action_priority = 20
    question = "Reject these comments? Readers will not see them."
    confirm_label = "Yes, reject"
    done = "rejected"

    @classmethod
    def decide(cls, comment, user):
        return comment.reject(by=user, via=VIA)


class SpamBulkAction(CommentBulkAction):
    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    action_priority = 30
    question = "Mark these comments as spam? Readers will not see them."
    confirm_label = "Yes, mark as spam"
    done = "marked as spam"

    @classmethod
    def decide(cls, comment, user):
        return comment.mark_spam(by=user, via=VIA)


class DeleteBulkAction(CommentBulkAction):
    display_name = "Delete"
    action_type = "delete"
    aria_label = "Delete the selected comments"
    action_priority = 40
    classes = {"serious"}
    question = "Delete these comments for good? This cannot be undone."
    confirm_label = "Yes, delete"
    done = "deleted"

    @classmethod
    def decide(cls, comment, user):
        comment.remove(by=user, via=VIA)
        return True


ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, DeleteBulkAction]
