from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "healthpress.comments"
    label = "comments"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import blocklist, tasks
        from .models import BlockedTerm, Comment
        from .signals import comment_approved

        post_save.connect(blocklist.forget, sender=BlockedTerm, dispatch_uid="blocklist-saved")
        post_delete.connect(blocklist.forget, sender=BlockedTerm, dispatch_uid="blocklist-deleted")
        comment_approved.connect(
            tasks.on_comment_approved, sender=Comment, dispatch_uid="approval-notices"
        )
